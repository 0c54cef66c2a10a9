"""Peak memory of a worker checking and storing an uploaded photo ("decompression bombs").

Each case runs in a fresh child process that imports the application and creates it (as a worker
does), reads the photo's bytes, and notes its resident size (VmRSS): the baseline of the same run.
It then resets the kernel's high-water mark (``/proc/self/clear_refs``, so that importing the app
does not hide what follows), does to the photo what an upload does (``storage.check_upload``, the
form's check, then ``storage.save_file``, the file and its thumbnail) and reads the peak resident
size (VmHWM; where it cannot be reset, ``ru_maxrss``, the whole life's peak, an upper bound). The
figure is the growth: peak minus baseline.

Cases: the attacker's 186 KB PNG of 7000 × 7000 px (49 MP, one colour, so it compresses to
almost nothing), and the largest photos still accepted (MAX_PIXELS) as a PNG and as a JPEG.

Target (security issue, part 4): the 7000 × 7000 PNG grows a worker by less than 300 MB; so does
each photo that is accepted (--check fails otherwise).

    .venv/bin/python -m bench.upload_memory [--check]
"""
from __future__ import annotations

import argparse
import io
import json
import math
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET_MB = 300


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None


def _resident_mb() -> float:
    return _status_mb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # Linux: reset VmHWM to the current size
    except OSError:
        pass


def _peak_mb() -> float:
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: str) -> None:
    """One measurement, in a fresh process; prints one line of JSON."""
    from awards_app import create_app
    from awards_app.nominations import storage

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "UPLOAD_FOLDER": folder,
                          "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        data = Path(path).read_bytes()
        baseline = _resident_mb()
        _reset_peak()
        with app.app_context():
            try:
                checked = storage.check_upload(io.BytesIO(data), 10 * 1024 * 1024)
            except storage.UploadRejected as refusal:
                outcome = f"refused: {refusal}"
            else:
                storage.save_file(folder, checked)
                outcome = f"accepted ({checked.width} x {checked.height})"
        print(json.dumps({"baseline_mb": round(baseline, 1), "peak_mb": round(_peak_mb(), 1),
                          "growth_mb": round(_peak_mb() - baseline, 1), "outcome": outcome}))


def _photos(folder: Path) -> dict[str, Path]:
    from PIL import Image

    from awards_app.nominations import storage

    side = math.isqrt(storage.MAX_PIXELS)  # the largest square photo still accepted
    photos = {}
    for name, size, image_format in (("bomb 7000x7000 PNG", (7000, 7000), "PNG"),
                                     (f"accepted {side}x{side} PNG", (side, side), "PNG"),
                                     (f"accepted {side}x{side} JPEG", (side, side), "JPEG")):
        path = folder / f"{len(photos)}.{image_format.lower()}"
        Image.new("RGB", size, (30, 120, 200)).save(path, image_format)
        photos[name] = path
    return photos


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a case grows a worker by 300 MB or more")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for name, path in _photos(Path(folder)).items():
            run = subprocess.run([sys.executable, "-m", "bench.upload_memory", "--child", str(path)],
                                 capture_output=True, text=True, check=True)
            result = json.loads(run.stdout.strip().splitlines()[-1])
            print(f"{name:28} {path.stat().st_size / 1024:8.0f} KB  baseline {result['baseline_mb']:6.1f} MB  "
                  f"peak {result['peak_mb']:6.1f} MB  growth {result['growth_mb']:6.1f} MB  {result['outcome']}")
            if result["growth_mb"] >= TARGET_MB:
                failed = True
                print(f"FAILED: {name} grows a worker by {TARGET_MB} MB or more")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
