"""QR codes people print on posters: a PNG that opens an address when a phone scans it."""

from __future__ import annotations

import io

import segno

# Each module 12 pixels wide: a version 4 code is 33 modules plus the quiet zone, so about
# 490 pixels, sharp at 8 cm on an A4 poster. Error correction "quartile" survives a scuffed
# or partly covered poster.
MODULE_PIXELS = 12
QUIET_ZONE_MODULES = 4


def qr_code_png(address: str) -> bytes:
    """A black-on-white PNG QR code for `address`."""
    code = segno.make(address, error="q", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=MODULE_PIXELS, border=QUIET_ZONE_MODULES)
    return out.getvalue()
