#!/usr/bin/env bash
# Issue 14 benchmarks, measured side by side in one run (BENCHMARKS.md, "Video"):
#  1. 366 daily 1920x1080 frames to MP4 end to end, against ffmpeg alone encoding the same raw
#     frames with the same settings (the arguments controlmap gave ffmpeg, logged by a wrapper
#     passed as --ffmpeg, with the input read from a file instead of the pipe);
#  2. 366 daily 3840x2160 PNG frames: frames per second and peak memory.
# Times and peak memory come from /usr/bin/time -v (hyperfine is not installed here).
# Usage: benches/video.sh [rounds]   (after cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
B=$PWD/target/release/controlmap
ROUNDS=${1:-3}
W=$(mktemp -d /tmp/controlmap-video-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
SEQ=(--from 2012-01-01 --to 2012-12-31 --step 1d --transition 0 -q)

cat > "$W/ffmpeg-logged" <<WRAP
#!/bin/sh
case "\$*" in *" -i - "*) printf '%s\n' "\$@" > "$W/args";; esac
exec ffmpeg "\$@"
WRAP
chmod +x "$W/ffmpeg-logged"

# The raw frames ffmpeg alone encodes: the same 366 frames, as PNG, decoded to RGBA once.
"$B" frames "${SEQ[@]}" --size 1920x1080 --gif none --out "$W/png" --mp4 "$W/warm.mp4" --ffmpeg "$W/ffmpeg-logged"
ffmpeg -v error -i "$W/png/frame-%05d.png" -pix_fmt rgba -f rawvideo "$W/frames.raw"
rm -rf "$W/png"
mapfile -t ARGS < "$W/args"
BASE=()
for ((i = 0; i < ${#ARGS[@]} - 1; i++)); do
  if [ "${ARGS[$i]}" = "-i" ] && [ "${ARGS[$((i + 1))]}" = "-" ]; then
    BASE+=(-i "$W/frames.raw"); i=$((i + 1))
  else
    BASE+=("${ARGS[$i]}")
  fi
done
BASE+=("$W/alone.mp4")

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -v "$@" 2> "$W/time.txt" > /dev/null
  local s rss cpu
  s=$(grep "Elapsed (wall clock)" "$W/time.txt" | awk '{print $NF}' | awk -F: '{print ($1 * 60) + $2}')
  rss=$(grep "Maximum resident set size" "$W/time.txt" | awk '{print $NF}')
  cpu=$(grep -E "(User|System) time" "$W/time.txt" | awk '{s += $NF} END {print s}')
  printf '%-28s %7.2f s wall  %7.2f s CPU  %7.1f MB peak\n' "$label" "$s" "$cpu" "$(echo "$rss / 1024" | bc -l)"
  echo "$s" > "$W/last"
  echo "$cpu" > "$W/lastcpu"
}

echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
for r in $(seq "$ROUNDS"); do
  echo "-- round $r"
  cat "$W/frames.raw" > /dev/null
  measure "ffmpeg alone (raw file)" ffmpeg "${BASE[@]}"; alone=$(cat "$W/last"); alonecpu=$(cat "$W/lastcpu")
  measure "controlmap --mp4 1080p" "$B" frames "${SEQ[@]}" --size 1920x1080 --mp4 "$W/piped.mp4"; piped=$(cat "$W/last"); pipedcpu=$(cat "$W/lastcpu")
  printf '%-28s %7.2fx wall  %7.2fx CPU\n' "ratio" "$(echo "$piped / $alone" | bc -l)" "$(echo "$pipedcpu / $alonecpu" | bc -l)"
  rm -rf "$W/f4k"
  measure "controlmap 4K PNG frames" "$B" frames "${SEQ[@]}" --size 3840x2160 --gif none --out "$W/f4k"
  printf '%-28s %7.1f frames/s\n' "4K PNG" "$(echo "366 / $(cat "$W/last")" | bc -l)"
done
