#!/usr/bin/env bash
# Builds a self-contained GPU bundle in bundle/ (git-ignored, < 60 MB): a jlink'd JDK 25 runtime
# (tar.gz), the module jars and their runtime dependencies, the test classes, the JUnit console
# launcher, the golden cases and the PyTorch peer script. Carry bundle/ to a GPU host and run
#   bash tools/gpu/run.sh [report-dir]
# from the repository root there (no Java, Maven or network needed on the host).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
out="$root/bundle"
rm -rf "$out"
mkdir -p "$out/lib" "$out/test-classes"

mvn -B -ntp -q install -DskipTests
# Runtime dependencies of the GPU path (fastutil, picocli, xchart are not needed there).
mvn -B -ntp -q -pl bench dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$out/lib" \
    -DexcludeArtifactIds=fastutil,picocli,xchart,jmh-generator-annprocess
mvn -B -ntp -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4 -DoutputDirectory="$out/lib"
cp bench/target/bench-*.jar "$out/lib/"
for m in engine kernels models; do
  mkdir -p "$out/test-classes/$m"
  cp -r "$m/target/test-classes/." "$out/test-classes/$m/"
done
# The JMH benchmark list and generated classes live in the bench jar (annotation processing).

"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,jdk.incubator.vector,java.xml \
  --strip-debug --no-header-files --no-man-pages --output "$out/jdk" 2>/dev/null
tar czf "$out/jdk.tgz" -C "$out" jdk && rm -rf "$out/jdk"

golden="${GW_GOLDEN:-$root/../shared/golden}"
[[ -d "$golden" ]] && cp -r "$golden" "$out/golden"
peer="$root/../shared/tools/torch_peer.py"
[[ -f "$peer" ]] && cp "$peer" "$out/torch_peer.py"
du -sh "$out"
