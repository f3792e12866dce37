#!/usr/bin/env bash
# Installs or upgrades gitlore on a Debian 12 / Ubuntu 22.04 / 24.04 machine, run as root (docs/deploy.md):
# Node 22 (NodeSource's apt repository) and git, a `gitlore` system user, the app in /opt/gitlore (built as
# scripts/setup.sh does), /etc/gitlore/gitlore.env (mode 600), the systemd units, nginx, and a Let's Encrypt
# certificate when GITLORE_DOMAIN is set. Re-running it upgrades in place: the data dir and the settings already
# in gitlore.env are kept (values given again replace theirs), nothing is added twice.
#
#   GITLORE_SOURCE   git URL or local checkout to install from (default: the checkout holding this script)
#   GITLORE_REF      branch, tag or commit to install (default: the source's HEAD)
#   GITLORE_DOMAIN, GITLORE_TLS_EMAIL    the public name; with both, certbot gets a certificate and nginx serves HTTPS
#   GITLORE_SECRETS_FILE     KEY=VALUE lines (or a JSON object) merged into gitlore.env
#   GITLORE_SECRETS_COMMAND  a command printing the same, e.g.
#                            aws secretsmanager get-secret-value --secret-id gitlore --query SecretString --output text
#   GITLORE_WORKERS  gitlore-worker@ units to run (needs DATABASE_URL; default 0)
#   GITLORE_RESET_ENV=1      rewrite gitlore.env from what is given now, dropping the values it held
#   GITLORE_ALLOW_OPEN=1     allow GITLORE_AUTH=none behind nginx (anyone reaching nginx can read everything)
#   GITLORE_ROOT     install under this folder instead of / (tests); GITLORE_SKIP_PACKAGES=1, GITLORE_SKIP_SYSTEMCTL=1,
#                    GITLORE_SKIP_BUILD=1, GITLORE_SKIP_CERTBOT=1 leave out those steps
# Every other GITLORE_*, GITHUB_*, GH_TOKEN, DATABASE_URL, SECRET_KEY, OPENAI_*, ANTHROPIC_*, OIDC_*, GOOGLE_CLIENT_*,
# OLLAMA_*, BEDROCK_*, AWS_REGION, HOST, PORT, REPOS_PATH, INDEX_PATH, SKIP_CLONE, SKIP_AUTO_INDEX and
# MAX_PARALLEL_CLONES in the environment goes into gitlore.env. Secret values are never printed.
set -euo pipefail
umask 022

die() { echo "gitlore setup: $*" >&2; exit 1; }
say() { echo "gitlore setup: $*" >&2; }
[ "$(id -u)" = 0 ] || die "run as root (sudo bash deploy/setup.sh)"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${GITLORE_ROOT:-/}"
root="${root%/}"
skip_packages="${GITLORE_SKIP_PACKAGES:-0}"
skip_systemctl="${GITLORE_SKIP_SYSTEMCTL:-0}"
skip_build="${GITLORE_SKIP_BUILD:-0}"
skip_certbot="${GITLORE_SKIP_CERTBOT:-0}"
source_repo="${GITLORE_SOURCE:-$(cd "$script_dir/.." && pwd)}"
ref="${GITLORE_REF:-}"
domain="${GITLORE_DOMAIN:-}"
tls_email="${GITLORE_TLS_EMAIL:-}"
workers="${GITLORE_WORKERS:-0}"
[[ "$workers" =~ ^[0-9]+$ ]] || die "GITLORE_WORKERS must be a whole number, got '$workers'"
if [ -n "$domain" ] && ! [[ "$domain" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]]; then
  die "GITLORE_DOMAIN must be a host name such as gitlore.example.com, got '$domain'"
fi

app_dir=/opt/gitlore
data_dir=/var/lib/gitlore
env_file=/etc/gitlore/gitlore.env
changed=() # what this run changed, for the summary and for restarts

# ---- 1. system packages: Node 22, git, nginx, certbot -------------------------------------------------------------
node_is_22() {
  command -v node >/dev/null && node -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit(major > 22 || (major === 22 && minor >= 12) ? 0 : 1)'
}
if [ "$skip_packages" != 1 ]; then
  [ "$root" = "" ] || die "GITLORE_ROOT is set: packages go to the real system; set GITLORE_SKIP_PACKAGES=1 too"
  export DEBIAN_FRONTEND=noninteractive
  need=()
  for pkg in ca-certificates curl gnupg git nginx g++ make python3 openssl; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || need+=("$pkg")
  done
  if [ -n "$domain" ] && [ -n "$tls_email" ] && ! command -v certbot >/dev/null; then need+=(certbot); fi
  if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]}…"
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq "${need[@]}" >/dev/null || die "apt-get install ${need[*]} failed"
  fi
  if ! node_is_22; then
    # NodeSource's signed repository: Node 22 security updates then come with apt (unattended-upgrades).
    say "adding NodeSource's Node 22 apt repository…"
    install -d -m 755 /etc/apt/keyrings
    curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key |
      gpg --dearmor --yes -o /etc/apt/keyrings/nodesource.gpg || die "could not fetch NodeSource's signing key"
    echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_22.x nodistro main" \
      >/etc/apt/sources.list.d/nodesource.list
    apt-get update -qq || die "apt-get update failed (NodeSource repository)"
    apt-get install -y -qq nodejs >/dev/null || die "apt-get install nodejs failed"
    node_is_22 || die "node $(node --version) is installed, but gitlore needs >= 22.12"
  fi
fi

# ---- 2. the gitlore system user -------------------------------------------------------------------------------------
if [ "$root" = "" ]; then
  if ! id -u gitlore >/dev/null 2>&1; then
    useradd --system --user-group --home-dir "$data_dir" --no-create-home --shell /usr/sbin/nologin gitlore
    changed+=("user gitlore")
  fi
  owner=gitlore
else
  owner=root # a scratch root has no users of its own
fi
install -d -m 750 -o "$owner" -g "$owner" "$root$data_dir"

# ---- 3. /etc/gitlore/gitlore.env, first: a refused setting stops the run before the long build ------------------
declare -A settings=()
# The names taken from the environment and from secrets; the setup's own variables stay out.
is_setting() {
  case "$1" in
    GITLORE_ROOT | GITLORE_SOURCE | GITLORE_REF | GITLORE_DOMAIN | GITLORE_TLS_EMAIL | GITLORE_WORKERS) return 1 ;;
    GITLORE_SECRETS_FILE | GITLORE_SECRETS_COMMAND | GITLORE_RESET_ENV | GITLORE_ALLOW_OPEN | GITLORE_SKIP_*) return 1 ;;
    GITLORE_SETUP_*) return 1 ;;
    GITLORE_* | GITHUB_* | GH_TOKEN | DATABASE_URL | SECRET_KEY | OPENAI_* | ANTHROPIC_* | OIDC_* | GOOGLE_CLIENT_*) return 0 ;;
    OLLAMA_* | BEDROCK_* | AWS_REGION | HOST | PORT | REPOS_PATH | INDEX_PATH | SKIP_CLONE | SKIP_AUTO_INDEX) return 0 ;;
    MAX_PARALLEL_CLONES) return 0 ;;
  esac
  return 1
}
# One KEY=VALUE line (dotenv: `export `, comments, "double" or 'single' quotes) into settings; $2 names the source.
read_line() {
  local line="$1" from="$2" key value
  line="${line#"${line%%[![:space:]]*}"}"
  if [ -z "$line" ] || [ "${line:0:1}" = "#" ]; then return 0; fi
  line="${line#export }"
  [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || die "$from: a line is not KEY=VALUE (its text is not shown)"
  key="${BASH_REMATCH[1]}"
  value="${BASH_REMATCH[2]}"
  if [[ "$value" =~ ^\"(.*)\"$ ]]; then
    # As in a shell: a backslash escapes \ " $ ` (and is kept before anything else).
    local quoted="${BASH_REMATCH[1]}" i c
    value=""
    for ((i = 0; i < ${#quoted}; i++)); do
      c="${quoted:i:1}"
      if [ "$c" = "\\" ] && [[ "${quoted:i+1:1}" == [\\\"\$\`] ]]; then
        i=$((i + 1))
        c="${quoted:i:1}"
      fi
      value+="$c"
    done
  elif [[ "$value" =~ ^\'(.*)\'$ ]]; then
    value="${BASH_REMATCH[1]}"
  fi
  settings["$key"]="$value"
}
# KEY=VALUE lines, or a JSON object of strings (as AWS Secrets Manager and Vault print secrets), into settings.
read_secrets() {
  local text="$1" from="$2" line
  if [[ "$text" =~ ^[[:space:]]*\{ ]]; then
    # shellcheck disable=SC2016 # JavaScript, not shell
    text="$(printf '%s' "$text" | node -e '
      let o; try { o = JSON.parse(require("fs").readFileSync(0, "utf8")); } catch { process.exit(3); }
      for (const [k, v] of Object.entries(o)) {
        if (/[\n\r]/.test(String(v))) process.exit(4);
        process.stdout.write(`${k}=${String(v)}\n`);
      }')" || die "$from: not a JSON object of one-line strings"
    while IFS= read -r line; do
      [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || die "$from: a key is not a variable name (A-Z, 0-9, _)"
      settings["${BASH_REMATCH[1]}"]="${BASH_REMATCH[2]}"
    done <<<"$text"
  else
    while IFS= read -r line || [ -n "$line" ]; do read_line "$line" "$from"; done <<<"$text"
  fi
}
if [ -f "$root$env_file" ] && [ "${GITLORE_RESET_ENV:-0}" != 1 ]; then
  read_secrets "$(cat "$root$env_file")" "$env_file"
fi
if [ -n "${GITLORE_SECRETS_FILE:-}" ]; then
  [ -r "$GITLORE_SECRETS_FILE" ] || die "GITLORE_SECRETS_FILE $GITLORE_SECRETS_FILE cannot be read"
  read_secrets "$(cat "$GITLORE_SECRETS_FILE")" "GITLORE_SECRETS_FILE"
fi
if [ -n "${GITLORE_SECRETS_COMMAND:-}" ]; then
  secrets_out="$(bash -c "$GITLORE_SECRETS_COMMAND")" || die "GITLORE_SECRETS_COMMAND failed (exit $?); its output is not shown"
  read_secrets "$secrets_out" "GITLORE_SECRETS_COMMAND"
  unset secrets_out
fi
while IFS= read -r name; do
  if is_setting "$name"; then settings["$name"]="${!name}"; fi
done < <(compgen -e)
# What the units and nginx rely on, unless given: loopback behind nginx, the data dir they may write.
settings[GITLORE_DATA_DIR]="${settings[GITLORE_DATA_DIR]:-$data_dir}"
settings[HOST]="${settings[HOST]:-127.0.0.1}"
settings[PORT]="${settings[PORT]:-3000}"
if [ -n "$domain" ] && [ -z "${settings[GITLORE_PUBLIC_URL]:-}" ]; then settings[GITLORE_PUBLIC_URL]="https://$domain"; fi
if [ -z "${settings[SECRET_KEY]:-}" ]; then settings[SECRET_KEY]="$(openssl rand -hex 32)"; fi
port="${settings[PORT]}"
if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then die "PORT must be a port number, got '$port'"; fi
case "${settings[GITLORE_DATA_DIR]}" in
  "$data_dir" | "$data_dir"/*) ;;
  *) die "GITLORE_DATA_DIR must be $data_dir or under it (the units may write only there), got '${settings[GITLORE_DATA_DIR]}'" ;;
esac
if [ "$workers" -gt 0 ] && [[ "${settings[DATABASE_URL]:-}" != postgres* ]]; then
  die "GITLORE_WORKERS=$workers needs DATABASE_URL=postgres://… (workers share PostgreSQL's queue; docs/scaling.md)"
fi
auth="${settings[GITLORE_AUTH]:-none}"
if [ "$auth" = none ] && [ "${GITLORE_ALLOW_OPEN:-0}" != 1 ]; then
  die "GITLORE_AUTH is none: nginx would publish gitlore with no sign-in; set GITLORE_AUTH=github or oidc (docs/authentication.md), or GITLORE_ALLOW_OPEN=1 on a private network"
fi
# Double-quoted values read the same by systemd's EnvironmentFile= and by a shell (`set -a; . gitlore.env`).
render_env() {
  local key value
  echo "# gitlore settings and secrets, written by deploy/setup.sh; read by the gitlore units (EnvironmentFile=)."
  echo "# Edit and run \`systemctl restart gitlore\`; setup.sh keeps these values unless given new ones."
  for key in $(printf '%s\n' "${!settings[@]}" | LC_ALL=C sort); do
    value="${settings[$key]}"
    [[ "$value" != *$'\n'* && "$value" != *$'\r'* ]] || die "$key holds a line break; gitlore.env takes one-line values"
    value="${value//\\/\\\\}" value="${value//\"/\\\"}" value="${value//\$/\\\$}" value="${value//\`/\\\`}"
    printf '%s="%s"\n' "$key" "$value"
  done
}
install -d -m 755 "$root/etc/gitlore"
new_env="$(render_env)"
if [ ! -f "$root$env_file" ] || [ "$(cat "$root$env_file")" != "$new_env" ]; then
  tmp_env="$(mktemp "$root/etc/gitlore/.gitlore.env.XXXXXX")"
  printf '%s\n' "$new_env" >"$tmp_env"
  chmod 600 "$tmp_env"
  mv -f "$tmp_env" "$root$env_file"
  changed+=("$env_file")
fi
chmod 600 "$root$env_file"
chown root:root "$root$env_file"
unset new_env settings

# ---- 4. the app: a git checkout of GITLORE_SOURCE at GITLORE_REF in /opt/gitlore, built ---------------------------
git_app() { git -c safe.directory="$root$app_dir" -C "$root$app_dir" "$@"; }
if [ ! -d "$root$app_dir/.git" ]; then
  [ ! -e "$root$app_dir" ] || die "$root$app_dir exists and is not a git checkout; move it away"
  say "cloning $source_repo into $app_dir…"
  install -d -m 755 "$(dirname "$root$app_dir")"
  git clone -q --no-checkout "$source_repo" "$root$app_dir" || die "git clone $source_repo failed"
  changed+=("app installed")
fi
before="$(git_app rev-parse -q --verify HEAD 2>/dev/null || true)"
git_app fetch -q --tags "$source_repo" "${ref:-HEAD}" || die "git fetch ${ref:-HEAD} from $source_repo failed"
git_app checkout -q --force --detach FETCH_HEAD
after="$(git_app rev-parse HEAD)"
[ "$before" = "$after" ] || [ -z "$before" ] || changed+=("app ${before:0:12} -> ${after:0:12}")
if [ "$skip_build" != 1 ]; then
  # The README's setup: npm dependencies, the build; it is quick when nothing changed. No link: ours is below.
  GITLORE_SKIP_LINK=1 bash "$root$app_dir/scripts/setup.sh" || die "building the app failed (bash $app_dir/scripts/setup.sh)"
fi
install -d -m 755 "$root/usr/local/bin"
[ "$(readlink "$root/usr/local/bin/gitlore" 2>/dev/null)" = "$app_dir/bin/gitlore" ] ||
  ln -sfn "$app_dir/bin/gitlore" "$root/usr/local/bin/gitlore"

# ---- 5. files from deploy/: units, nginx site ------------------------------------------------------------------------
# Copies $1 to $2 (mode $3) when its content differs, after the sed expression $4 (may be empty).
place() {
  local from="$1" to="$2" mode="$3" expr="${4:-}" text
  text="$(if [ -n "$expr" ]; then sed -e "$expr" "$from"; else cat "$from"; fi)"
  if [ ! -f "$to" ] || [ "$(cat "$to")" != "$text" ]; then
    install -d -m 755 "$(dirname "$to")"
    printf '%s\n' "$text" >"$to.tmp.$$"
    chmod "$mode" "$to.tmp.$$"
    mv -f "$to.tmp.$$" "$to"
    changed+=("${to#"$root"}")
  fi
}
deploy="$root$app_dir/deploy"
units_before=${#changed[@]}
place "$deploy/gitlore.service" "$root/etc/systemd/system/gitlore.service" 644
place "$deploy/gitlore-worker@.service" "$root/etc/systemd/system/gitlore-worker@.service" 644
units_changed=$((${#changed[@]} - units_before))

cert_dir="/etc/letsencrypt/live/$domain"
have_cert() { [ -n "$domain" ] && [ -s "$root$cert_dir/fullchain.pem" ] && [ -s "$root$cert_dir/privkey.pem" ]; }
site_for() { # $1: gitlore.conf (TLS) or gitlore-http.conf
  place "$deploy/nginx/$1" "$root/etc/nginx/sites-available/gitlore.conf" 644 \
    "s/gitlore\.example\.com/${domain:-_}/g"
}
nginx_before=${#changed[@]}
place "$deploy/nginx/gitlore-proxy.conf" "$root/etc/nginx/snippets/gitlore-proxy.conf" 644 "s/127\.0\.0\.1:3000/127.0.0.1:$port/g"
if have_cert; then site_for gitlore.conf; else site_for gitlore-http.conf; fi
install -d -m 755 "$root/var/www/letsencrypt" "$root/etc/nginx/sites-enabled"
[ "$(readlink "$root/etc/nginx/sites-enabled/gitlore.conf" 2>/dev/null)" = /etc/nginx/sites-available/gitlore.conf ] || {
  ln -sfn /etc/nginx/sites-available/gitlore.conf "$root/etc/nginx/sites-enabled/gitlore.conf"
  changed+=(/etc/nginx/sites-enabled/gitlore.conf)
}
# Debian's default site also claims port 80 as default_server.
if [ -L "$root/etc/nginx/sites-enabled/default" ]; then
  rm -f "$root/etc/nginx/sites-enabled/default"
  changed+=("nginx default site disabled")
fi
nginx_changed=$((${#changed[@]} - nginx_before))

# ---- 6. start: units, nginx, then the certificate -------------------------------------------------------------------
wait_health() {
  local i
  for i in $(seq 1 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then
      say "gitlore answers on http://127.0.0.1:$port/health (${i}x0.5 s)"
      return 0
    fi
    sleep 0.5
  done
  die "gitlore did not answer /health within 60 s; see: journalctl -u gitlore -n 50"
}
if [ "$skip_systemctl" != 1 ]; then
  [ "$root" = "" ] || die "GITLORE_ROOT is set: set GITLORE_SKIP_SYSTEMCTL=1 too"
  [ "$units_changed" = 0 ] || systemctl daemon-reload
  systemctl enable -q gitlore.service
  # Restart on every run: a new checkout, build or setting takes effect (serve stops gracefully).
  systemctl restart gitlore.service
  for n in $(seq 1 "$workers"); do systemctl enable -q --now "gitlore-worker@$n.service"; done
  # Workers beyond GITLORE_WORKERS from an earlier run are stopped.
  while read -r unit _; do
    n="${unit#gitlore-worker@}" n="${n%.service}"
    if [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -gt "$workers" ]; then systemctl disable -q --now "$unit"; fi
  done < <(systemctl list-units --all --plain --no-legend 'gitlore-worker@*.service')
  for n in $(seq 1 "$workers"); do systemctl restart "gitlore-worker@$n.service"; done
  nginx -t -q || die "nginx -t rejects the configuration; see the lines above"
  systemctl enable -q nginx
  if [ "$nginx_changed" != 0 ] || ! systemctl is-active -q nginx; then systemctl reload-or-restart nginx; fi
  wait_health
fi
if [ -n "$domain" ] && ! have_cert; then
  if [ -z "$tls_email" ]; then
    say "no certificate for $domain and no GITLORE_TLS_EMAIL: serving plain HTTP; set it and rerun for HTTPS"
  elif [ "$skip_certbot" = 1 ] || [ "$skip_systemctl" = 1 ]; then
    say "certbot skipped (GITLORE_SKIP_CERTBOT or GITLORE_SKIP_SYSTEMCTL): serving plain HTTP"
  else
    say "asking Let's Encrypt for a certificate for $domain…"
    certbot certonly --webroot -w /var/www/letsencrypt -d "$domain" -m "$tls_email" --agree-tos -n -q \
      --deploy-hook 'systemctl reload nginx' || die "certbot failed for $domain (does its DNS point here, port 80 open?)"
    site_for gitlore.conf
    nginx -t -q || die "nginx -t rejects the TLS site; see the lines above"
    systemctl reload nginx
  fi
fi

if [ ${#changed[@]} -eq 0 ]; then
  say "nothing changed (gitlore $(git_app rev-parse --short HEAD))"
else
  summary="$(printf '%s, ' "${changed[@]}")"
  say "done (gitlore $(git_app rev-parse --short HEAD)); changed: ${summary%, }"
fi
