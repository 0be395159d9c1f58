"""Join codes: short, unambiguous when read aloud or typed, and too many to guess."""
from __future__ import annotations

import hashlib
import hmac
import math
import random

# No 0/O, 1/I/L: nothing a player can mistype from a projector or hear wrongly.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
ENTROPY_BITS = LENGTH * math.log2(len(ALPHABET))  # ~39.6 bits: guessing a live room is impractical


def new_join_code(rng: random.Random | random.SystemRandom) -> str:
    """A fresh code such as 'KM4T-Q8ZA' (shown with a dash, stored without)."""
    return "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def normalise_join_code(typed: str) -> str | None:
    """What a player typed -> the stored code, or None when it cannot be one."""
    code = "".join(ch for ch in typed.upper() if ch not in " -_.")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display_join_code(code: str) -> str:
    """'KM4TQ8ZA' -> 'KM4T-Q8ZA': two halves are easier to read aloud."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def screen_token(secret: str, code: str, epoch: int = 1) -> str:
    """The big-screen link's secret: derived from the server's key, so it needs no storage and
    every process agrees on it; unguessable without the key. `epoch` is the room's link generation:
    renewing the link (a new epoch) makes every older link invalid (issue 17)."""
    message = f"screen:{code}" if epoch == 1 else f"screen:{code}:{epoch}"  # epoch 1: links made before epochs
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:32]
