# Fills $DATASET_DIR with the four gzipped IDX files of Fashion-MNIST unless they are there already.
# Source: $SOURCE_URL (base URL of the four files) when set, else Debian's package
# dataset-fashion-mnist. Runs as a non-root user on a read-only root filesystem: apt keeps its lists
# and cache under $WORK_DIR (default /tmp/fill); the files are written next to $DATASET_DIR and
# renamed into place, so a reader never sees a partial data set.
files="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz"
complete=true
for f in $files; do
  [ -s "$DATASET_DIR/$f" ] || complete=false
done
if [ "$complete" = true ]; then
  echo "fill: $DATASET_DIR already holds the four IDX files; nothing to do"
  exit 0
fi
work="${WORK_DIR:-/tmp/fill}"
rm -rf "$work"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/pkg"
apt_options="-o Dir::State::Lists=$work/lists -o Dir::Cache=$work/cache -o Debug::NoLocking=1"
staging="$(dirname "$DATASET_DIR")/.fill-$(basename "$DATASET_DIR")"
rm -rf "$staging"
mkdir -p "$staging"
cd "$work"
if [ -z "${SOURCE_URL:-}" ]; then
  echo "fill: downloading Debian's dataset-fashion-mnist"
  apt-get $apt_options -qq update
  apt-get $apt_options -qq download dataset-fashion-mnist
  dpkg-deb -x dataset-fashion-mnist_*.deb pkg
  for f in $files; do
    cp "pkg/usr/share/datasets/fashion-mnist/$f" "$staging/$f"
  done
else
  ca=""
  case "$SOURCE_URL" in
    https://*)
      # the slim image has no CA bundle: take Mozilla's from Debian's ca-certificates package
      apt-get $apt_options -qq update
      apt-get $apt_options -qq download ca-certificates
      dpkg-deb -x ca-certificates_*.deb pkg
      cat pkg/usr/share/ca-certificates/mozilla/*.crt > ca.pem
      ca="-o Acquire::https::CaInfo=$work/ca.pem"
      ;;
  esac
  for f in $files; do
    echo "fill: downloading ${SOURCE_URL%/}/$f"
    /usr/lib/apt/apt-helper $ca download-file "${SOURCE_URL%/}/$f" "$work/$f"
    cp "$work/$f" "$staging/$f" # apt links file:// sources: copy the content
  done
fi
chmod 0755 "$staging"
chmod 0644 "$staging"/*
rm -rf "$DATASET_DIR"
mv "$staging" "$DATASET_DIR"
rm -rf "$work"
echo "fill: $DATASET_DIR ready:"
ls -l "$DATASET_DIR"
