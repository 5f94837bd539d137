-- One database and one owner per service, as in production (local passwords: development only).
CREATE ROLE crm LOGIN PASSWORD 'crm';
CREATE DATABASE crm OWNER crm;
CREATE ROLE erp LOGIN PASSWORD 'erp';
CREATE DATABASE erp OWNER erp;
CREATE ROLE gateway LOGIN PASSWORD 'gateway';
CREATE DATABASE gateway OWNER gateway;
