# syntax=docker/dockerfile:1
#
# member-sync container image:  docker build -t member-sync .
# Runs `java -jar member-sync.jar <command>` as JarLauncher over Spring Boot's extracted layers, as user 10001.
# Configuration comes from the environment and SPRING_CONFIG_ADDITIONAL_LOCATION (see k8s/).

# ---- build: compile and package with the Maven wrapper, then split the jar into layers ------------------------------
FROM eclipse-temurin:21-jdk AS build
WORKDIR /workspace

COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
COPY db/ db/
COPY sample-data/ sample-data/
# The local Maven repository (and the wrapper's Maven) live in a BuildKit cache between builds.
RUN --mount=type=cache,target=/root/.m2 chmod +x mvnw && ./mvnw -B -DskipTests package

# Spring Boot 4 layered extraction: one directory per layer plus the launcher, least to most often changed.
RUN java -Djarmode=tools -jar target/member-sync.jar extract --layers --launcher --destination /workspace/extracted

# ---- runtime: a JRE only, no build tools, not root -------------------------------------------------------------------
FROM eclipse-temurin:21-jre
WORKDIR /app

RUN groupadd --system --gid 10001 membersync \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin membersync

# Layers in order of how rarely they change, so a code change rebuilds only the last one.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./

# The job needs no writable path besides the temp directory; in Kubernetes the root filesystem is read-only and
# /tmp is an emptyDir. The working directory is /tmp so that nothing is written under /app.
WORKDIR /tmp
USER 10001:10001

ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"

# Arguments are member-sync's: `docker run member-sync run`, `docker run member-sync status`, `--help`.
# The class path is explicit because the working directory is not /app (Kubernetes sets workingDir: /tmp too).
ENTRYPOINT ["java", "-cp", "/app", "org.springframework.boot.loader.launch.JarLauncher"]
CMD ["--help"]
