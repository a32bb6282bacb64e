# The one rule for finding a Java 21 or newer, whatever `java` on the PATH is (17 on some machines). Every entry
# point uses it, so the build, the tests and the scripts agree on which Java runs the project:
#   source scripts/java21.sh         sandbox.sh, cli/eks-access, infra-cdk/cdk-app.sh: sets JAVA21 to a `java` of
#                                    version 21 or newer, or exits with a message saying what to install
#   bash scripts/java21.sh --jdk-home
#                                    ./mvnw: prints the home of a JDK 21+ (one with javac), or fails without a word
#                                    (Maven then runs on whatever Java there is and its enforcer rule explains)
# Order: $JAVA_HOME, the java on the PATH, then JDKs installed in the usual places: /usr/lib/jvm (Debian, Ubuntu,
# Fedora, Arch), /usr/java and /opt/java (RPMs, container images), macOS's java_home and
# /Library/Java/JavaVirtualMachines, SDKMAN!, IntelliJ's ~/.jdks. The first of version 21 or newer wins.

# Sets JAVA_MAJOR to the feature version of the `java` executable $1 (0 if unknown), symbolic links resolved, read
# from its JDK's `release` file when there is one: no JVM start and few processes, since ./mvnw asks on every run.
java_major_of() {
  local home="${1%/bin/java}" line version=""
  if [[ -f "$home/release" ]]; then
    while IFS= read -r line; do
      if [[ "$line" == JAVA_VERSION=* ]]; then
        version="${line#JAVA_VERSION=}"
        version="${version//\"/}"
        break
      fi
    done <"$home/release"
  fi
  if [[ -z "$version" ]]; then
    version="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' || true)"
  fi
  version="${version%%[!0-9]*}"
  JAVA_MAJOR="${version:-0}"
}

# Sets JAVA21 to the first candidate `java` of version 21 or newer, or returns 1; with --jdk, only one whose JDK
# has javac.
java21_find() {
  local candidate dir java
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  candidate="$(command -v java 2>/dev/null || true)"
  [[ -n "$candidate" ]] && candidates+=("$candidate")
  if [[ -x /usr/libexec/java_home ]]; then
    dir="$(/usr/libexec/java_home -v 21+ 2>/dev/null || true)"
    [[ -n "$dir" ]] && candidates+=("$dir/bin/java")
  fi
  for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [[ -x "$dir/bin/java" ]] && candidates+=("$dir/bin/java")
  done
  for candidate in "${candidates[@]}"; do
    [[ -x "$candidate" ]] || continue
    java="$(readlink -f "$candidate")"
    if [[ "${1:-}" == --jdk && ! -x "${java%/java}/javac" ]]; then
      continue
    fi
    java_major_of "$java"
    if [[ "$JAVA_MAJOR" -ge 21 ]]; then
      JAVA21="$candidate"
      return 0
    fi
  done
  return 1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  # Run as a program: ./mvnw asks for a JDK home to run Maven with.
  if [[ "${1:-}" != --jdk-home ]]; then
    echo "usage: source $0 (sets JAVA21), or: bash $0 --jdk-home" >&2
    exit 2
  fi
  java21_find --jdk || exit 1
  java="$(readlink -f "$JAVA21")"
  echo "${java%/bin/java}"
  exit 0
fi

if ! java21_find; then
  echo "$(basename "$0"): needs Java 21 or newer and found none (looked at JAVA_HOME, the java on the PATH," \
    "/usr/lib/jvm and the other usual places). Install a JDK 21+, e.g. 'sudo apt-get install openjdk-21-jdk-headless'," \
    "'brew install openjdk@21' or from https://adoptium.net, or set JAVA_HOME to one." >&2
  exit 1
fi
JAVA21_MAJOR="$JAVA_MAJOR"
# Pekko (inside ElasticMQ) and Maven's own libraries use sun.misc.Unsafe, which Java 24+ warns about on every run.
JAVA21_QUIET_FLAGS=()
if [[ "$JAVA21_MAJOR" -ge 24 ]]; then
  JAVA21_QUIET_FLAGS=(--sun-misc-unsafe-memory-access=allow)
fi
