#!/usr/bin/env bash
# make-clips.sh: encodes the simulated cameras' clips. Run once; the output
# is committed and embedded (assets/camsim/*.h264), so nothing here runs at
# build or test time.
#
# The scene is a 2560×720 panorama; each "view" is a 1280-wide window of it
# at one pan position, so a PTZ camera shows where it points by switching
# views at a keyframe. Every clip is 2 s long, H.264 Constrained Baseline
# (CAVLC, no B-frames, as IP cameras send), with a fixed GOP of 1 s and a
# dark 32 px band on top (16 px on the sub stream) where camsim writes the
# camera's name and clock. Slices are one band high (slice-max-mbs), so the
# band is its own slice.
set -euo pipefail
cd "$(dirname "$0")"
views=(0 320 640 960 1280)
for i in "${!views[@]}"; do
  x=${views[$i]}
  pan=$(awk -v i="$i" 'BEGIN { printf "%+.1f", -1 + i * 0.5 }')
  scene="testsrc2=size=2560x720:rate=25,
drawgrid=w=160:h=90:t=1:c=white@0.25,noise=alls=6:allf=t,
crop=1280:720:${x}:0,
drawbox=x=0:y=0:w=1280:h=32:c=0x1d2430:t=fill,
drawtext=text='PAN ${pan}':x=w-tw-24:y=h-th-24:fontsize=40:fontcolor=white:box=1:boxcolor=black@0.5"
  ffmpeg -v error -y -f lavfi -i "$scene" -t 2 \
    -c:v libx264 -profile:v baseline -preset medium -pix_fmt yuv420p \
    -g 25 -keyint_min 25 -sc_threshold 0 -bf 0 \
    -b:v 1800k -maxrate 2000k -bufsize 1900k \
    -x264-params "slice-max-mbs=160:threads=1:aud=0:repeat-headers=1" \
    -f h264 "main-view${i}.h264"
  ffmpeg -v error -y -f lavfi -i "$scene,scale=640:360,fps=15,drawbox=x=0:y=0:w=640:h=16:c=0x1d2430:t=fill" -t 2 \
    -c:v libx264 -profile:v baseline -preset medium -pix_fmt yuv420p \
    -g 15 -keyint_min 15 -sc_threshold 0 -bf 0 \
    -b:v 360k -maxrate 400k -bufsize 380k \
    -x264-params "slice-max-mbs=40:threads=1:aud=0:repeat-headers=1" \
    -f h264 "sub-view${i}.h264"
done
ls -l ./*.h264
# One JPEG per view for ONVIF GetSnapshotUri.
for i in "${!views[@]}"; do
  ffmpeg -v error -y -i "main-view${i}.h264" -vf "select=eq(n\,12)" -frames:v 1 -q:v 5 "view${i}.jpg"
done
ls -l ./*.jpg
