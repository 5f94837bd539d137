"""Create the gateway's token signing key pair unless it is there (compose only).

The private key goes to /keys/private (mounted by the gateway alone), the public key to
/keys/public (mounted by every service).

Runs once, as root with only CAP_CHOWN, before the services start; it hands both files to the
services' user (uid 10001), the private key readable by that user alone.
"""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

APP_UID = 10001
PRIVATE = Path("/keys/private/private.pem")
PUBLIC = Path("/keys/public/public.pem")

if not (PRIVATE.exists() and PUBLIC.exists()):
    key = Ed25519PrivateKey.generate()
    PRIVATE.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    PUBLIC.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
for path, mode in ((PRIVATE, 0o400), (PUBLIC, 0o444)):
    os.chown(path, APP_UID, APP_UID)
    path.chmod(mode)
print("signing keys ready")
