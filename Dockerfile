# syntax=docker/dockerfile:1
#
# member-sync container image:  docker build -t member-sync .
# Runs `java -jar member-sync.jar <command>` from Spring Boot's extracted layers with a JDK AOT cache (recorded at
# build time by a run of `demo`), which cuts the JVM's start-up from about 3 s to 1 s; as user 10001.
# Configuration comes from the environment and SPRING_CONFIG_ADDITIONAL_LOCATION (see k8s/).

# ---- build: compile and package with the Maven wrapper, then split the jar into layers ------------------------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /workspace

COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
COPY db/ db/
COPY sample-data/ sample-data/
# The local Maven repository (and the wrapper's Maven) live in a BuildKit cache between builds.
RUN --mount=type=cache,target=/root/.m2 chmod +x mvnw && ./mvnw -B -DskipTests package

# Spring Boot 4 layered extraction: one directory per layer, least to most often changed; the application layer
# holds a plain member-sync.jar whose manifest class path points at lib/.
RUN java -Djarmode=tools -jar target/member-sync.jar extract --layers --destination /workspace/extracted

# ---- runtime: a JRE only, no build tools, not root -------------------------------------------------------------------
# JRE 25: the AOT cache (JEP 483/514) needs 24 or newer; the code itself needs 21.
FROM eclipse-temurin:25-jre
WORKDIR /app

RUN groupadd --system --gid 10001 membersync \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin membersync

# Layers in order of how rarely they change, so a code change rebuilds only the last one.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./

# Training run: `demo` syncs the sample data against the built-in sandbox on an embedded store, loading nearly every
# class a real run loads; the JVM records them in /app/member-sync.aot. It runs with the same JVM and class path
# as the entrypoint, as the cache requires.
RUN cd /tmp && java -XX:AOTCacheOutput=/app/member-sync.aot -jar /app/member-sync.jar demo > /dev/null \
    && rm -rf /tmp/.member-sync

# The job needs no writable path besides the temp directory; in Kubernetes the root filesystem is read-only and
# /tmp is an emptyDir. The working directory is /tmp so that nothing is written under /app.
WORKDIR /tmp
USER 10001:10001

ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"

# Arguments are member-sync's: `docker run member-sync run`, `docker run member-sync status`, `--help`.
# Paths are absolute because the working directory is not /app (Kubernetes sets workingDir: /tmp too).
# -XX:TieredStopAtLevel=1 compiles with C1 only: a nightly run lasts seconds, too short to repay C2's compile work
# on two cores (a quiet million-row night: about 2 s instead of 3); a rare first full diff of a million rows
# takes about a third longer. See the README's Performance section.
ENTRYPOINT ["java", "-XX:AOTCache=/app/member-sync.aot", "-XX:TieredStopAtLevel=1", "-jar", "/app/member-sync.jar"]
CMD ["--help"]
