"""``make bench``: the platform's speed and memory, each figure beside a baseline measured in
the same run on the same machine, so that the ratio means something on a noisy machine."""
