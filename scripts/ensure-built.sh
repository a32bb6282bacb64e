# Sourced by sandbox.sh and cli/eks-access: builds the jar a script runs, through ./mvnw, when it is missing or older
# than what it is made of (the root pom, and the pom and src/main of its module and of every module of this
# repository it depends on outside test scope). Progress goes to standard error, one line per module; the full Maven
# log to target/build-MODULE.log.
#   ensure_built NAME JAR MODULE [MAVEN_ARGS...]      NAME prefixes the messages (the calling script's name)

# Prints MODULE and the modules of this repository it depends on (not in test scope), read from their poms.
repo_module_closure() {
  local root="$1" module="$2"
  awk -v target="$module" '
    FNR == 1 { n = split(FILENAME, part, "/"); mod = part[n - 1] }
    /<dependency>/ { group = ""; artifact = ""; scope = "" }
    /<exclusions>/ { excluding = 1 }
    /<\/exclusions>/ { excluding = 0; next }
    excluding { next }
    /<groupId>/ { group = $0; sub(/.*<groupId>/, "", group); sub(/<.*/, "", group) }
    /<artifactId>/ { artifact = $0; sub(/.*<artifactId>/, "", artifact); sub(/<.*/, "", artifact) }
    /<scope>/ { scope = $0; sub(/.*<scope>/, "", scope); sub(/<.*/, "", scope) }
    /<\/dependency>/ { if (group == "dev.eksaccess" && scope != "test") deps[mod] = deps[mod] " " artifact }
    function visit(m,    list, count, i) {
      if (m in seen) return
      seen[m] = 1
      print m
      count = split(deps[m], list, " ")
      for (i = 1; i <= count; i++) visit(list[i])
    }
    END { visit(target) }
  ' "$root"/*/pom.xml
}

# Copies Maven's output to LOG and shows on standard error: a line per module, errors, and what is not Maven's own
# log (npm ci, the JVM). On a terminal, the current plugin goal is shown on the module's line as it runs.
build_progress() {
  local log="$1" line tty=false current="" module_line='^\[INFO\] Building (.+) [^ ]+ +\[([0-9]+/[0-9]+)\]$'
  [[ -t 2 ]] && tty=true
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$log"
    if [[ "$line" =~ $module_line ]]; then
      $tty && [[ -n "$current" ]] && printf '\r\033[K%s\n' "$current" >&2
      current="  [${BASH_REMATCH[2]}] ${BASH_REMATCH[1]}"
      if $tty; then printf '%s' "$current" >&2; else printf '%s\n' "$current" >&2; fi
    elif [[ "$line" == "[INFO] --- "* ]]; then
      if $tty && [[ -n "$current" ]]; then
        line="${line#"[INFO] --- "}"
        printf '\r\033[K%s: %s' "$current" "${line%% *}" >&2
      fi
    elif [[ "$line" == "[ERROR]"* || "$line" != "["* ]]; then
      $tty && [[ -n "$current" ]] && printf '\r\033[K%s\n' "$current" >&2 && current=""
      printf '%s\n' "$line" >&2
    fi
  done
  $tty && [[ -n "$current" ]] && printf '\r\033[K%s\n' "$current" >&2
  return 0
}

ensure_built() {
  local name="$1" jar="$2" module="$3"
  shift 3
  local root why newer log start status modules=() paths=()
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if [[ ! -f "$jar" ]]; then
    why="first run: building ${jar#"$root"/} and the modules it needs with ./mvnw (a few minutes on a fresh machine,
  where Maven and the libraries are downloaded first)"
  else
    while IFS= read -r m; do
      modules+=("$m")
      paths+=("$root/$m/pom.xml")
      [[ -d "$root/$m/src/main" ]] && paths+=("$root/$m/src/main")
    done < <(repo_module_closure "$root" "$module")
    newer="$(find "$root/pom.xml" "${paths[@]}" -newer "$jar" -print -quit 2>/dev/null || true)"
    [[ -z "$newer" ]] && return 0
    why="${newer#"$root"/} changed since ${jar#"$root"/} was built: rebuilding it with ./mvnw"
  fi

  mkdir -p "$root/target"
  log="$root/target/build-$module.log"
  : >"$log"
  echo "$name: $why; full log: ${log#"$root"/}" >&2
  start=$SECONDS
  set +e
  "$root/mvnw" -B -f "$root/pom.xml" -pl "$module" -am package -Dmaven.test.skip=true "$@" 2>&1 | build_progress "$log"
  status=${PIPESTATUS[0]}
  set -e
  if [[ $status -ne 0 || ! -f "$jar" ]]; then
    echo "$name: the build failed (exit status $status); the reason is above, the full log in ${log#"$root"/}" >&2
    return 1
  fi
  # The jar is now as new as its sources, even when Maven found nothing to redo and left it alone.
  touch "$jar"
  echo "$name: built in $((SECONDS - start)) s" >&2
}
