# Sourced by the repository's scripts: sets JAVA21 to a `java` of version 21 or newer, or exits with a message.
# Order: $JAVA_HOME/bin/java, the java on the PATH, then any JDK under /usr/lib/jvm (the default java on some
# machines is 17). One definition, so every entry point agrees on which Java runs the project.

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}

java21_find() {
  local candidate
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null)" /usr/lib/jvm/*/bin/java; do
    if [[ -n "$candidate" && -x "$candidate" && "$(java_major "$candidate" 2>/dev/null || echo 0)" -ge 21 ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! JAVA21="$(java21_find)"; then
  echo "$(basename "$0"): needs Java 21 or newer; set JAVA_HOME to a JDK 21+ (none found in JAVA_HOME, on the PATH or under /usr/lib/jvm)" >&2
  exit 1
fi
JAVA21_MAJOR="$(java_major "$JAVA21")"
# Pekko (inside ElasticMQ) and Maven's own libraries use sun.misc.Unsafe, which Java 24+ warns about on every run.
JAVA21_QUIET_FLAGS=()
if [[ "$JAVA21_MAJOR" -ge 24 ]]; then
  JAVA21_QUIET_FLAGS=(--sun-misc-unsafe-memory-access=allow)
fi
