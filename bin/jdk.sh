# Sourced by the scripts in bin/ and .ci/run: make JAVA_HOME point at a JDK 21 or newer.
# Keeps a JAVA_HOME that is already new enough; otherwise takes the newest JDK under /usr/lib/jvm.
# A JDK's major version: from its release file (every JDK since 9 has one), read by the shell itself,
# so that sourcing this file starts no JVM and no other process (it started one JVM per JDK under
# /usr/lib/jvm, about 0.1 s before every command); from the JVM only where that file is missing.
# JAVA_VERSION="1.8.0_x" reads as 1: too old.
_rc_java_major() {
  local line v=""
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then v=${BASH_REMATCH[1]}; break; fi
    done <"$1/release"
  fi
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1)
  echo "$v"
}
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(_rc_java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  _rc_best=""; _rc_best_major=0
  for _rc_home in /usr/lib/jvm/*; do
    [ -x "$_rc_home/bin/javac" ] || continue
    _rc_major=$(_rc_java_major "$_rc_home"); [ -n "$_rc_major" ] || continue
    if [ "$_rc_major" -gt "$_rc_best_major" ]; then _rc_best=$_rc_home; _rc_best_major=$_rc_major; fi
  done
  if [ "$_rc_best_major" -ge 21 ]; then
    export JAVA_HOME=$_rc_best
  else
    echo "realitycheck: needs a JDK 21 or newer; set JAVA_HOME to one" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
export PATH="$JAVA_HOME/bin:$PATH"
# JVM flags every process of this project runs with (see realitycheck.jvm.flags in pom.xml).
RC_JAVA_MAJOR=$(_rc_java_major "$JAVA_HOME")
RC_JVM_FLAGS="--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
if [ "$RC_JAVA_MAJOR" -ge 23 ]; then
  RC_JVM_FLAGS="$RC_JVM_FLAGS --sun-misc-unsafe-memory-access=allow"
  # Maven's own Guice calls sun.misc.Unsafe too: without this every build through these scripts
  # starts with four JVM warnings that are nobody's doing
  case " ${MAVEN_OPTS:-} " in *" --sun-misc-unsafe-memory-access="*) ;; *)
    export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;; esac
fi
export RC_JAVA_MAJOR RC_JVM_FLAGS
# rc_manifest_opens <jar>: the jar's Add-Opens as --add-opens flags, for a start with -cp (the JVM
# honours the manifest's only for -jar); LocalStack.manifestFlags does the same for the local stack.
rc_manifest_opens() {
  local t path d
  path=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); d=$(mktemp -d)
  (cd "$d" && jar xf "$path" META-INF/MANIFEST.MF) || true
  for t in $(tr -d '\r' <"$d/META-INF/MANIFEST.MF" 2>/dev/null | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n //g' \
      | sed -n 's/^Add-Opens: *//p'); do printf -- '--add-opens=%s=ALL-UNNAMED ' "$t"; done
  rm -rf "$d"
}
# rc_aot_flags <quarkus-run.jar>: the flags that start it from its class archive, a static CDS
# archive (bin/aot-cache writes app.jsa beside it when the build runs on JDK 25+), or nothing when
# the archive is missing or older than a file of the application. The JVM itself skips an archive that
# does not match (a changed jar or class path, another JDK, a corrupt file) and starts normally;
# -Xlog:cds=off,cds+dynamic=off keeps its note about that off the output. AotCache in deploy/local-stack
# does the same for the local stack's services. A second argument names another archive beside the jar
# (evaluate.jsa, below), or a JDK AOT cache (a name ending in .aot: bin/aot-cache --jdk-aot-cache, which
# bin/bench-startup compares against).
rc_aot_flags() {
  local app cache
  case $1 in */*) app=${1%/*} ;; *) app=. ;; esac # dirname without a process
  cache="$app/${2:-app.jsa}"
  [ "$RC_JAVA_MAJOR" -ge 25 ] && [ -f "$cache" ] || return 0
  [ -z "$(find "$app" -type f -newer "$cache" ! -name '*.jsa' ! -name '*.aot' -print -quit 2>/dev/null)" ] || return 0
  case $cache in
    *.aot) echo "-XX:AOTCache=$cache -Xlog:aot=off,cds=off" ;;
    *) echo "-XX:SharedArchiveFile=$cache -Xlog:cds=off,cds+dynamic=off" ;;
  esac
}
# `evaluate` of .npy files runs without Quarkus (EvaluateCommand.main): on a short class path
# (the tool's jar, the engine, the .npy reader, picocli, Jackson for --json) from its own cache,
# <quarkus-app>/evaluate.jsa (bin/aot-cache --evaluate, whose training run fails the build when a
# class is missing here), with RC_EVALUATE_FLAGS: the serial collector (a one-shot process), and the
# engine's methods compiled after 1% of the usual calls (ExactKnn's lambdas at the usual thresholds: each
# runs once per worker thread, so their compiles were waste; the later command wins). The Vector API
# kernels and the heap path's inner loop are compiled by the thread that needs them (it waits for the
# compiler instead of running the kernels interpreted meanwhile, where every vector operation is an
# object: more than the whole search once compiled); the rest of the engine runs on while the compiler
# works in the background (each of its loops runs once or for a few ms, and waiting for its compiles
# cost 0.02-0.04 s of a CUB-sized evaluation). Raising every other threshold
# (-XX:CompileThresholdScaling=10) saved 5% of the CPU but cost 12% of the wall time on the idle
# machine, so it is not set here. docs/benchmarks.md "Start-up" has the figures.
RC_EVALUATE_FLAGS="-XX:+UseSerialGC -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,dev.realitycheck.knn.*::*,0.01 -XX:CompileCommand=CompileThresholdScaling,dev.realitycheck.knn.ExactKnn::lambda*,1.0"
RC_EVALUATE_FLAGS="$RC_EVALUATE_FLAGS -XX:CompileCommand=BackgroundCompilation,dev.realitycheck.knn.Vector*::*,false -XX:CompileCommand=BackgroundCompilation,dev.realitycheck.knn.PairWorker::*,false -XX:CompileCommand=BackgroundCompilation,dev.realitycheck.knn.NeighbourHeaps::offer,false"
export RC_EVALUATE_FLAGS
# rc_evaluate_classpath <quarkus-app>: the tool's jar and the jars the build lists in
# <quarkus-app>/../evaluate.classpath (cli/pom.xml, execution "evaluate-classpath"), under <quarkus-app>;
# a jar of the same name in <quarkus-app>/../evaluate-lib (bin/aot-cache --evaluate writes it there: its class
# files raised to a version the class archive keeps) takes the original's place.
rc_evaluate_classpath() {
  local list="$1/../evaluate.classpath" cp entry
  if [ ! -f "$list" ]; then
    echo "rc_evaluate_classpath: $list is missing: ./mvnw -B -pl cli -am package -DskipTests writes it" >&2
    return 1
  fi
  cp=$(printf '%s:' "$1"/app/*.jar)
  local entries
  IFS=: read -r -a entries <"$list" || true # one line, maybe without a newline
  for entry in "${entries[@]}"; do
    if [ -f "$1/../evaluate-lib/${entry##*/}" ]; then cp="$cp$1/../evaluate-lib/${entry##*/}:"; else cp="$cp$1/$entry:"; fi
  done
  echo "${cp%:}"
}
# rc_stats: "median min max" of the numbers on standard input, one a line (bin/bench-startup, bin/bench-peers).
rc_stats() { sort -n | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2, a[1], a[NR]}'; }
# A service started without keys or tokens (bin/aot-cache's training start, bin/bench-startup):
# authentication and signature verification off, as system properties (they do not bind a class archive).
RC_KEYLESS_FLAGS="-Drealitycheck.security.enabled=false -Drealitycheck.embedding.signing.verify=false -Drealitycheck.evaluation.signing.verify=false"
export RC_KEYLESS_FLAGS
