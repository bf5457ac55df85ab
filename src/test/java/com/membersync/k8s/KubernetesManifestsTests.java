package com.membersync.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import com.membersync.config.MemberSyncProperties;
import com.membersync.config.RateLimit;
import com.membersync.config.RatePolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.ConfigTreePropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.scheduling.support.CronExpression;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests under {@code k8s/}, read onto fabric8's Kubernetes model: every file is a known kind with no unknown
 * field, the CronJob behaves as k8s/README.md says for each exit code of the contract, secrets only ever come from the
 * Secret, the pod is locked down, and the files agree with each other (names, keys, mounts, kustomization). The
 * nightly CronJob is checked as k8s/cronjob.yaml has it and with the optional component k8s/sharded applied to it
 * (an Indexed Job, one pod per shard of the feeds), the way kustomize applies it.
 */
class KubernetesManifestsTests {

    private static final Path K8S = Path.of(System.getProperty("basedir", ".")).resolve("k8s");
    private static final String NAMESPACE = "member-sync";
    private static final String NAME_LABEL = "app.kubernetes.io/name";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Exit codes a retry cannot fix (contract): the Job, or the shard's index, must fail at once on exactly these. */
    private static final Set<Integer> FAIL_AT_ONCE = Set.of(2, 3, 64, 66, 78);

    /** Names of settings and environment variables that hold credentials. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(api[-_.]?key|password|passwd|secret|token|tenant).*");

    /** Credentials outside {@code member-sync.*} that the Secret may hold. */
    private static final Set<String> SPRING_CREDENTIALS = Set.of("spring.datasource.password");

    /** Where the Job controller puts a pod's index, for the downward API. */
    private static final String COMPLETION_INDEX_FIELD = "metadata.annotations['batch.kubernetes.io/job-completion-index']";

    /** {@code $(NAME)} as Kubernetes expands it in env values, command and args ({@code $$(NAME)} is an escape). */
    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("(?<!\\$)\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private static final Map<Path, List<HasMetadata>> manifests = new LinkedHashMap<>();
    private static CronJob cronJob;
    private static CronJob sharded;
    private static ConfigMap configMap;
    private static Secret secret;
    private static ServiceAccount serviceAccount;
    private static Namespace namespace;
    private static Map<String, Object> kustomization;

    @BeforeAll
    static void load() throws IOException {
        assertThat(K8S).as("the k8s/ directory").isDirectory();
        for (Path file : manifestFiles()) {
            Object parsed = SERIALIZATION.unmarshal(Files.readString(file, StandardCharsets.UTF_8));
            List<?> documents = parsed instanceof List<?> list ? list : List.of(parsed);
            List<HasMetadata> objects = new ArrayList<>();
            for (Object document : documents) {
                assertThat(document).as("%s holds Kubernetes objects", file.getFileName()).isInstanceOf(HasMetadata.class);
                objects.add((HasMetadata) document);
            }
            manifests.put(file, objects);
        }
        cronJob = single(CronJob.class);
        configMap = single(ConfigMap.class);
        secret = single(Secret.class);
        serviceAccount = single(ServiceAccount.class);
        namespace = single(Namespace.class);
        kustomization = yaml(K8S.resolve("kustomization.yaml"));
        sharded = patched(cronJob, K8S.resolve("sharded"));
    }

    /** The nightly CronJob as k8s/ has it, and sharded: what both must satisfy is checked on both. */
    static Stream<Named<CronJob>> nightly() {
        return Stream.of(Named.of("k8s/cronjob.yaml", cronJob), Named.of("with k8s/sharded", sharded));
    }

    // ---------------------------------------------------------------------------------------------------- all files

    @Test
    void everyManifestIsAKnownKindWithNoUnknownField() {
        assertThat(manifests).as("manifests under k8s/").isNotEmpty();
        manifests.forEach((file, objects) -> {
            assertThat(objects).as("%s", file.getFileName()).isNotEmpty();
            for (HasMetadata object : objects) {
                String where = file.getFileName() + " (" + object.getKind() + ")";
                assertThat(object).as("%s: apiVersion/kind must name a known Kubernetes type", where)
                        .isNotInstanceOf(GenericKubernetesResource.class);
                assertThat(object.getApiVersion()).as("%s apiVersion", where)
                        .isEqualTo(object instanceof CronJob ? "batch/v1" : "v1");
                assertThat(object.getMetadata()).as("%s metadata", where).isNotNull();
                assertThat(object.getMetadata().getName()).as("%s metadata.name", where).isNotBlank();
                assertThat(object.getMetadata().getNamespace()).as("%s: the namespace comes from kustomization.yaml", where)
                        .isIn(null, NAMESPACE);
                assertThat(object.getMetadata().getLabels()).as("%s labels", where).containsEntry(NAME_LABEL, "member-sync");
                assertNoUnknownField(object, where);
            }
        });
    }

    // ------------------------------------------------------------------------------------------------------ CronJob

    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void cronJobRunsNightlyOneAtATime(CronJob job) {
        assertThat(job.getMetadata().getName()).isEqualTo("member-sync");
        CronJobSpec spec = job.getSpec();
        assertThat(spec.getSchedule()).as("schedule").isNotBlank();
        assertThat(spec.getSchedule().trim().split("\\s+")).as("schedule has the five cron fields").hasSize(5);
        assertThatCode(() -> CronExpression.parse("0 " + spec.getSchedule())).as("schedule is a valid cron expression")
                .doesNotThrowAnyException();
        if (spec.getTimeZone() != null) {
            assertThatCode(() -> ZoneId.of(spec.getTimeZone())).as("timeZone").doesNotThrowAnyException();
        }
        assertThat(spec.getConcurrencyPolicy()).as("concurrencyPolicy").isEqualTo("Forbid");
        assertThat(spec.getStartingDeadlineSeconds()).as("startingDeadlineSeconds").isNotNull().isGreaterThanOrEqualTo(10L);
        assertThat(spec.getSuspend()).as("suspend").isNotEqualTo(Boolean.TRUE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void jobIsRetriedABoundedNumberOfTimesWithinADeadline(CronJob cron) {
        JobSpec job = cron.getSpec().getJobTemplate().getSpec();
        Integer retries = indexed(cron) ? job.getBackoffLimitPerIndex() : job.getBackoffLimit();
        assertThat(retries).as("backoffLimit, or for an Indexed Job backoffLimitPerIndex").isNotNull().isBetween(1, 10);
        assertThat(job.getActiveDeadlineSeconds()).as("activeDeadlineSeconds: ends before the next nightly run")
                .isNotNull().isPositive().isLessThan(Duration.ofDays(1).toSeconds());
        assertThat(pod(cron).getRestartPolicy()).as("restartPolicy (podFailurePolicy requires Never)").isEqualTo("Never");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void podFailurePolicyFailsTheJobOrTheShardOnExactlyTheCodesARetryCannotFix(CronJob cron) {
        // FailIndex needs backoffLimitPerIndex; per index, FailJob would stop the other shards too.
        String failAtOnce = indexed(cron) ? "FailIndex" : "FailJob";
        String never = indexed(cron) ? "FailJob" : "FailIndex";
        List<PodFailurePolicyRule> rules = rules(cron);
        assertThat(rules).as("podFailurePolicy.rules").isNotEmpty();
        for (PodFailurePolicyRule rule : rules) {
            assertThat(rule.getAction()).as("rule action").isIn(failAtOnce, "Ignore", "Count");
            boolean byConditions = rule.getOnPodConditions() != null && !rule.getOnPodConditions().isEmpty();
            assertThat(rule.getOnExitCodes() != null ^ byConditions)
                    .as("a rule has either onExitCodes or onPodConditions: %s", rule).isTrue();
            PodFailurePolicyOnExitCodesRequirement codes = rule.getOnExitCodes();
            if (codes != null) {
                assertThat(codes.getOperator()).as("onExitCodes.operator").isIn("In", "NotIn");
                assertThat(codes.getValues()).as("onExitCodes.values (ordered, no duplicates)")
                        .isNotEmpty().doesNotHaveDuplicates().isSorted();
                if ("In".equals(codes.getOperator())) {
                    assertThat(codes.getValues()).as("onExitCodes.values: 0 cannot be used with In").doesNotContain(0);
                }
                if (codes.getContainerName() != null) {
                    assertThat(codes.getContainerName()).as("onExitCodes.containerName").isEqualTo(container(cron).getName());
                }
            }
        }
        assertThat(codesWith(rules, failAtOnce)).as("exit codes on which %s, without a retry", failAtOnce)
                .isEqualTo(new TreeSet<>(FAIL_AT_ONCE));
        assertThat(codesWith(rules, never)).as("exit codes on which %s", never).isEmpty();
        assertThat(rules).as("an explicit Count rule for exit code 1 (retried; the next pod resumes the run)")
                .anySatisfy(rule -> {
                    assertThat(rule.getAction()).isEqualTo("Count");
                    assertThat(rule.getOnExitCodes()).isNotNull();
                    assertThat(rule.getOnExitCodes().getOperator()).isEqualTo("In");
                    assertThat(rule.getOnExitCodes().getValues()).contains(1);
                });
        assertThat(actionFor(rules, 1)).as("exit code 1").isEqualTo("Count");
        assertThat(actionFor(rules, 75)).as("exit code 75 (another run in progress) is retried").isEqualTo("Count");
        assertThat(rules).as("a disrupted pod (drain, eviction, preemption) is replaced without counting")
                .anySatisfy(rule -> {
                    assertThat(rule.getAction()).isEqualTo("Ignore");
                    assertThat(rule.getOnPodConditions()).singleElement()
                            .satisfies(condition -> assertThat(condition.getType()).isEqualTo("DisruptionTarget"));
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void podOutlivesTheJobsOwnShutdownGrace(CronJob job) {
        // member-sync.shutdown-grace as the job reads it, 20s when the ConfigMap leaves it out.
        Duration grace = new Binder(ConfigurationPropertySources.from(applicationYml()))
                .bind("member-sync.shutdown-grace", Duration.class).orElse(Duration.ofSeconds(20));
        assertThat(pod(job).getTerminationGracePeriodSeconds()).as("terminationGracePeriodSeconds")
                .isNotNull().isGreaterThan(20L).isGreaterThan(grace.toSeconds());
    }

    // ------------------------------------------------------------------------------------------------------ sharded

    @Test
    void theShardedComponentPatchesTheBasesNightlyCronJobAndIsOffByDefault() {
        Map<String, Object> component = component("sharded");
        assertThat(component.keySet()).as("k8s/sharded/kustomization.yaml fields").containsOnly("apiVersion", "kind", "patches");
        List<?> patches = (List<?>) component.get("patches");
        assertThat(patches).as("patches").singleElement().isInstanceOf(Map.class);
        Map<?, ?> patch = (Map<?, ?>) patches.getFirst();
        assertThat(patch.keySet().stream().map(String::valueOf)).as("patches[0] fields").containsOnly("path", "target");
        assertThat(K8S.resolve("sharded").resolve(String.valueOf(patch.get("path")))).as("patches[0].path").isRegularFile();
        assertThat(patch.get("target")).as("patches[0].target: the base's nightly CronJob")
                .isEqualTo(Map.of("group", "batch", "version", "v1", "kind", "CronJob", "name", cronJob.getMetadata().getName()));
        assertThat(listed(kustomization, "components")).as("k8s/kustomization.yaml components: sharded is optional")
                .doesNotContain("sharded");
    }

    @Test
    void theShardedNightlyJobRunsEveryShardAsAnIndexOfItsOwn() {
        assertNoUnknownField(sharded, "k8s/cronjob.yaml with k8s/sharded");
        JobSpec job = sharded.getSpec().getJobTemplate().getSpec();
        assertThat(job.getCompletionMode()).as("completionMode").isEqualTo("Indexed");
        List<String> args = container(sharded).getArgs();
        assertThat(args).as("args").hasSize(3).startsWith("run", "--shard");
        Matcher shard = Pattern.compile("\\$\\(JOB_COMPLETION_INDEX\\)/([1-9][0-9]*)").matcher(args.get(2));
        assertThat(shard.matches()).as("--shard $(JOB_COMPLETION_INDEX)/N, not %s", args.get(2)).isTrue();
        int shards = Integer.parseInt(shard.group(1));
        assertThat(shards).as("N").isGreaterThan(1);
        assertThat(job.getCompletions()).as("completions: one index per shard, the N of --shard").isEqualTo(shards);
        assertThat(job.getParallelism()).as("parallelism: every shard at once, the N of --shard").isEqualTo(shards);
        assertThat(job.getBackoffLimit()).as("backoffLimit: retries are counted per shard (backoffLimitPerIndex)").isNull();
        assertThat(job.getMaxFailedIndexes()).as("maxFailedIndexes: a failed shard never stops the others").isNull();
        assertThat(job.getPodReplacementPolicy()).as("podReplacementPolicy: never two pods of one shard at once")
                .isEqualTo("Failed");

        List<EnvVar> env = container(sharded).getEnv();
        assertThat(env.getFirst().getName()).as("the first env var: the shard's index, defined before any use").isEqualTo("JOB_COMPLETION_INDEX");
        assertThat(env.getFirst().getValue()).as("JOB_COMPLETION_INDEX value").isNull();
        assertThat(env.getFirst().getValueFrom().getFieldRef().getFieldPath()).as("JOB_COMPLETION_INDEX from the downward API")
                .isEqualTo(COMPLETION_INDEX_FIELD);
        assertThat(env(sharded).get("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_GROUPING_KEY_INSTANCE"))
                .as("each shard pushes to a Pushgateway group of its own (grouping-key.instance)").isNotNull()
                .extracting(EnvVar::getValue).asString().contains("$(JOB_COMPLETION_INDEX)");

        // The base's policy, with FailIndex where the base fails the Job.
        PodFailurePolicy perIndex = SERIALIZATION.clone(cronJob.getSpec().getJobTemplate().getSpec().getPodFailurePolicy());
        perIndex.getRules().stream().filter(rule -> "FailJob".equals(rule.getAction())).forEach(rule -> rule.setAction("FailIndex"));
        assertThat(job.getPodFailurePolicy()).as("podFailurePolicy: the base's, per index").isEqualTo(perIndex);

        // All else is the base's: undone, the changes leave k8s/cronjob.yaml.
        CronJob undone = SERIALIZATION.clone(sharded);
        JobSpec undoneJob = undone.getSpec().getJobTemplate().getSpec();
        undoneJob.setCompletionMode(null);
        undoneJob.setCompletions(null);
        undoneJob.setParallelism(null);
        undoneJob.setBackoffLimitPerIndex(null);
        undoneJob.setPodReplacementPolicy(null);
        undoneJob.setBackoffLimit(cronJob.getSpec().getJobTemplate().getSpec().getBackoffLimit());
        undoneJob.setPodFailurePolicy(cronJob.getSpec().getJobTemplate().getSpec().getPodFailurePolicy());
        container(undone).setArgs(container(cronJob).getArgs());
        container(undone).getEnv().removeIf(e -> e.getName().equals("JOB_COMPLETION_INDEX")
                || e.getName().equals("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_GROUPING_KEY_INSTANCE"));
        assertThat(undone).as("the sharded CronJob but for what makes it Indexed").isEqualTo(cronJob);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void everyVariableReferenceIsOneKubernetesExpands(CronJob job) {
        // In an env value only the variables above it expand; in command and args, all of the container's env.
        Set<String> defined = new TreeSet<>();
        for (EnvVar e : Optional.ofNullable(container(job).getEnv()).orElse(List.of())) {
            assertThat(references(e.getValue())).as("env %s refers only to variables defined above it", e.getName())
                    .isSubsetOf(defined);
            defined.add(e.getName());
        }
        List<String> commandLine = Stream.concat(Optional.ofNullable(container(job).getCommand()).orElse(List.of()).stream(),
                Optional.ofNullable(container(job).getArgs()).orElse(List.of()).stream()).toList();
        for (String word : commandLine) {
            assertThat(references(word)).as("%s refers only to the container's env", word).isSubsetOf(defined);
        }
    }

    // ------------------------------------------------------------------------------------------------------ secrets

    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void everyCredentialComesFromTheSecretThroughTheConfigTree(CronJob job, @TempDir Path tree) throws IOException {
        Map<String, EnvVar> env = env(job);
        env.values().forEach(e -> {
            assertThat(e.getName()).as("env %s: credentials come through the config tree", e.getName()).doesNotMatch(SECRET_NAME);
            assertThat(e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef())
                    .as("env %s from the Secret: mount its key through the config tree instead", e.getName()).isNull();
        });
        assertThat(container(job).getEnvFrom()).as("envFrom (every variable is named explicitly)").isNullOrEmpty();

        // Not optional: a missing mount fails the run instead of leaving it without keys.
        String root = mountPath(job, "secrets");
        assertThat(mount(job, "secrets").getReadOnly()).as("secrets mounted read-only").isTrue();
        assertThat(env.get("SPRING_CONFIG_IMPORT")).as("env SPRING_CONFIG_IMPORT").isNotNull();
        assertThat(env.get("SPRING_CONFIG_IMPORT").getValue()).as("SPRING_CONFIG_IMPORT: the secrets mount as a config tree")
                .isEqualTo("configtree:" + root + "/");
        SecretVolumeSource source = volume(job, "secrets").getSecret();
        assertThat(source).as("volume secrets is a Secret").isNotNull();
        assertThat(source.getSecretName()).as("volume secrets").isEqualTo(secret.getMetadata().getName());
        assertThat(source.getOptional()).as("volume secrets optional").isNotEqualTo(Boolean.TRUE);
        assertReadableByThePodsGroupOnly(source.getDefaultMode(), "volume secrets defaultMode");
        List<KeyToPath> items = Optional.ofNullable(source.getItems()).orElse(List.of());
        assertThat(items).as("volume secrets items: each key at the path of its setting").isNotEmpty();
        assertThat(items.stream().map(KeyToPath::getKey).toList()).as("items keys: each of the Secret's keys, once")
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(secretKeys());
        assertThat(items.stream().map(KeyToPath::getPath).toList()).as("items paths").doesNotHaveDuplicates();
        for (KeyToPath item : items) {
            if (item.getMode() != null) {
                assertReadableByThePodsGroupOnly(item.getMode(), "items " + item.getKey() + " mode");
            }
            Path file = tree.resolve(item.getPath()).normalize();
            assertThat(file.startsWith(tree)).as("items %s path %s stays in the mount", item.getKey(), item.getPath()).isTrue();
            Files.createDirectories(file.getParent());
            Files.writeString(file, "placeholder of " + item.getKey() + "\n");
        }

        // The files as Spring Boot reads them: each a credential of an account the ConfigMap configures.
        ConfigTreePropertySource secrets = new ConfigTreePropertySource("secrets", tree);
        EnumerablePropertySource<?> yml = applicationYml();
        Set<String> accounts = accounts(yml);
        for (String name : secrets.getPropertyNames()) {
            assertThat(name).as("%s: the Secret holds credentials only", name).matches(SECRET_NAME);
            if (name.startsWith("member-sync.")) {
                List<String> path = List.of(name.substring("member-sync.".length()).split("\\."));
                assertThat(isComponentPath(MemberSyncProperties.class, path)).as("%s is a member-sync setting", name).isTrue();
                if (path.getFirst().equals("vendors")) {
                    assertThat(accounts).as("%s: an account configmap.yaml configures", name).contains(path.get(1));
                }
            } else {
                assertThat(name).as("a credential outside member-sync.*").isIn(SPRING_CREDENTIALS);
            }
        }
        Binder binder = new Binder(ConfigurationPropertySources.from(List.<PropertySource<?>>of(secrets, yml)));
        MemberSyncProperties properties = binder.bind("member-sync", MemberSyncProperties.class)
                .orElseThrow(() -> new AssertionError("no member-sync settings"));
        properties.vendors().forEach((account, settings) -> {
            assertThat(settings.apiKey()).as("account %s api-key, from the Secret", account).isNotNull();
            if (vendorOf(yml, account).equals("decoda")) {
                assertThat(settings.tenant()).as("Decoda account %s tenant, from the Secret", account).isNotNull();
            }
        });
        assertThat(binder.bind("spring.datasource.password", String.class).isBound())
                .as("spring.datasource.password, from the Secret").isTrue();
    }

    @Test
    void exampleSecretHoldsOnlyPlaceholders() throws IOException {
        assertThat(secret.getType()).as("Secret type").isIn(null, "Opaque");
        assertThat(secret.getData()).as("Secret data (use stringData placeholders)").isNullOrEmpty();
        assertThat(secret.getStringData()).as("Secret stringData").isNotEmpty();
        secret.getStringData().forEach((key, value) ->
                assertThat(value).as("placeholder for %s must stay empty: real values come from the secret manager", key)
                        .isBlank());
        assertThat(Files.readString(K8S.resolve("secret.example.yaml"))).as("secret.example.yaml says where real values come from")
                .containsIgnoringCase("secret manager");
    }

    @Test
    void configMapHoldsNoCredentials() {
        assertThat(configMap.getMetadata().getName()).isEqualTo("member-sync-config");
        assertThat(configMap.getData()).as("ConfigMap data").containsKey("application.yml");
        assertThat(configMap.getBinaryData()).as("ConfigMap binaryData").isNullOrEmpty();
        EnumerablePropertySource<?> yml = applicationYml();
        assertThat(yml.getPropertyNames()).as("settings in application.yml").isNotEmpty();
        for (String name : yml.getPropertyNames()) {
            assertThat(name).as("application.yml must not hold credentials; they come from the Secret").doesNotMatch(SECRET_NAME);
        }
        String url = String.valueOf(yml.getProperty("spring.datasource.url"));
        assertThat(url).as("spring.datasource.url").startsWith("jdbc:postgresql://");
        assertThat(url.toLowerCase(Locale.ROOT)).as("spring.datasource.url carries no password").doesNotContain("password");
        assertThat(yml.getProperty("spring.datasource.username")).as("spring.datasource.username").isNotNull();
    }

    // -------------------------------------------------------------------------------------------------- application

    @Test
    void configMapSettingsAreOnesMemberSyncKnowsAndBind() {
        EnumerablePropertySource<?> yml = applicationYml();
        for (String name : yml.getPropertyNames()) {
            assertThat(name).as("setting").matches("(spring|member-sync|logging)\\..+");
            if (name.startsWith("member-sync.")) {
                List<String> path = List.of(name.substring("member-sync.".length()).split("\\."));
                assertThat(isComponentPath(MemberSyncProperties.class, path)).as("%s is a member-sync setting", name).isTrue();
            }
        }
        Binder binder = new Binder(ConfigurationPropertySources.from(yml));
        MemberSyncProperties properties = binder.bind("member-sync", MemberSyncProperties.class)
                .orElseThrow(() -> new AssertionError("application.yml has no member-sync settings"));
        assertThat(properties.vendors().keySet()).as("vendors").containsExactlyInAnyOrder("hang", "decoda", "mayar");
        properties.vendors().forEach((vendor, v) -> {
            assertThat(v.baseUrl()).as("%s base-url", vendor).isNotNull();
            assertThat(v.baseUrl().getScheme()).as("%s base-url", vendor).isEqualTo("https");
            assertThat(v.rateLimit()).as("%s rate-limit", vendor).isNotNull();
            assertThatCode(() -> RatePolicy.parse(v.rateLimit(), RateLimit.parse("10/s"))).as("%s rate-limit", vendor).doesNotThrowAnyException();
        });
        String input = mountPath(cronJob, "input");
        assertThat(properties.feeds()).as("feeds").isNotEmpty();
        properties.feeds().forEach((feed, f) -> {
            assertThat(properties.vendors()).as("feed %s vendor", feed).containsKey(f.vendor());
            assertThat(f.csv()).as("feed %s csv", feed).isNotNull();
            assertThat(f.csv().isAbsolute() && f.csv().normalize().startsWith(Path.of(input)))
                    .as("feed %s csv %s is under the input volume %s", feed, f.csv(), input).isTrue();
        });
        assertThat(properties.shutdownGrace()).as("shutdown-grace").isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void configMapIsWhereSpringLooksForIt(CronJob job) {
        String location = env(job).get("SPRING_CONFIG_ADDITIONAL_LOCATION").getValue();
        assertThat(location).as("SPRING_CONFIG_ADDITIONAL_LOCATION").isNotBlank();
        String expected = mountPath(job, "config") + "/application.yml";
        assertThat(location.replaceFirst("^file:", "")).as("SPRING_CONFIG_ADDITIONAL_LOCATION").isEqualTo(expected);
        Volume config = volume(job, "config");
        assertThat(config.getConfigMap()).as("volume config is a ConfigMap").isNotNull();
        assertThat(config.getConfigMap().getName()).as("volume config").isEqualTo(configMap.getMetadata().getName());
        assertThat(config.getConfigMap().getItems()).as("volume config items (all keys become files)").isNullOrEmpty();
    }

    // ---------------------------------------------------------------------------------------------------- container

    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void containerRunsTheSyncSizedToItsLimits(CronJob job) {
        Container c = container(job);
        assertThat(pod(job).getContainers()).as("containers").hasSize(1);
        assertThat(c.getImage()).as("image (placeholder, set through kustomization images)").isNotBlank();
        assertThat(imageName(c.getImage())).as("image name").isEqualTo("member-sync");
        assertThat(c.getCommand()).as("command (the image's ENTRYPOINT runs the jar)").isNullOrEmpty();
        assertThat(c.getArgs()).as("args: run every feed (of its shard)").first().isEqualTo("run");
        if (!indexed(job)) {
            assertThat(c.getArgs()).as("args").containsExactly("run");
        }
        String javaOptions = env(job).get("JAVA_TOOL_OPTIONS").getValue();
        assertThat(javaOptions).as("JAVA_TOOL_OPTIONS").contains("-XX:MaxRAMPercentage=")
                .as("JAVA_TOOL_OPTIONS: ExitOnOutOfMemoryError exits with 3, the mass-change guard's code")
                .doesNotContain("ExitOnOutOfMemoryError");
        ResourceRequirements resources = c.getResources();
        assertThat(resources).as("resources").isNotNull();
        for (String resource : List.of("cpu", "memory")) {
            Quantity request = Optional.ofNullable(resources.getRequests()).map(r -> r.get(resource)).orElse(null);
            Quantity limit = Optional.ofNullable(resources.getLimits()).map(r -> r.get(resource)).orElse(null);
            assertThat(request).as("resources.requests.%s", resource).isNotNull();
            assertThat(limit).as("resources.limits.%s", resource).isNotNull();
            assertThat(request.getNumericalAmount()).as("%s request <= limit", resource)
                    .isPositive().isLessThanOrEqualTo(limit.getNumericalAmount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void podIsLockedDown(CronJob job) {
        PodSecurityContext pod = pod(job).getSecurityContext();
        assertThat(pod).as("pod securityContext").isNotNull();
        assertThat(pod.getRunAsNonRoot()).as("runAsNonRoot").isTrue();
        assertThat(pod.getRunAsUser()).as("runAsUser").isEqualTo(10001L);
        assertThat(pod.getFsGroup()).as("fsGroup").isNotNull().isPositive();
        assertThat(pod.getSeccompProfile()).as("seccompProfile").isNotNull();
        assertThat(pod.getSeccompProfile().getType()).as("seccompProfile.type").isEqualTo("RuntimeDefault");
        SecurityContext c = container(job).getSecurityContext();
        assertThat(c).as("container securityContext").isNotNull();
        assertThat(c.getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem").isTrue();
        assertThat(c.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation").isFalse();
        assertThat(c.getPrivileged()).as("privileged").isNotEqualTo(Boolean.TRUE);
        assertThat(c.getRunAsUser()).as("container runAsUser (0 would be root)").isNotEqualTo(Long.valueOf(0));
        assertThat(c.getRunAsNonRoot()).as("container runAsNonRoot").isNotEqualTo(Boolean.FALSE);
        assertThat(c.getCapabilities()).as("capabilities").isNotNull();
        assertThat(c.getCapabilities().getDrop()).as("capabilities.drop").containsExactly("ALL");
        assertThat(c.getCapabilities().getAdd()).as("capabilities.add").isNullOrEmpty();
        assertThat(pod(job).getHostNetwork()).as("hostNetwork").isNotEqualTo(Boolean.TRUE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void onlyTmpIsWritableAndInputIsReadOnly(CronJob job) {
        List<VolumeMount> mounts = Optional.ofNullable(container(job).getVolumeMounts()).orElse(List.of());
        Set<String> volumes = Optional.ofNullable(pod(job).getVolumes()).orElse(List.of()).stream().map(Volume::getName)
                .collect(Collectors.toSet());
        for (VolumeMount mount : mounts) {
            assertThat(volumes).as("volumeMount %s names a volume", mount.getMountPath()).contains(mount.getName());
            if (!Boolean.TRUE.equals(mount.getReadOnly())) {
                assertThat(volume(job, mount.getName()).getEmptyDir()).as("writable mount %s is an emptyDir", mount.getMountPath())
                        .isNotNull();
            }
        }
        assertThat(mountPath(job, "tmp")).as("emptyDir tmp").isEqualTo("/tmp");
        assertThat(volume(job, "tmp").getEmptyDir()).as("volume tmp is an emptyDir").isNotNull();
        assertThat(mountPath(job, "config")).as("ConfigMap mount").isEqualTo("/config");
        assertThat(mountPath(job, "secrets")).as("Secret mount").isEqualTo("/etc/member-sync/secrets");
        assertThat(mountPath(job, "input")).as("input mount").isEqualTo("/data");
        assertThat(mount(job, "input").getReadOnly()).as("input mounted read-only").isTrue();
        Volume input = volume(job, "input");
        assertThat(input.getPersistentVolumeClaim()).as("volume input is a PersistentVolumeClaim").isNotNull();
        assertThat(input.getPersistentVolumeClaim().getClaimName()).as("claimName").isEqualTo("member-sync-input");
        assertThat(input.getPersistentVolumeClaim().getReadOnly()).as("claim read-only").isTrue();
        assertThat(container(job).getWorkingDir()).as("workingDir is writable (the embedded store and temp files)")
                .isNotNull().satisfies(dir -> assertThat(Path.of(dir).normalize().startsWith(Path.of("/tmp"))).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nightly")
    void podHasNoKubernetesApiCredentials(CronJob job) {
        assertThat(serviceAccount.getMetadata().getName()).isEqualTo("member-sync");
        assertThat(serviceAccount.getAutomountServiceAccountToken()).as("ServiceAccount automountServiceAccountToken").isFalse();
        assertThat(pod(job).getServiceAccountName()).as("serviceAccountName").isEqualTo(serviceAccount.getMetadata().getName());
        assertThat(pod(job).getAutomountServiceAccountToken()).as("pod automountServiceAccountToken").isFalse();
    }

    @Test
    void imageRunsAsThePodsUser() throws IOException {
        Path dockerfile = K8S.resolveSibling("Dockerfile");
        assertThat(dockerfile).as("Dockerfile beside k8s/").isRegularFile();
        String text = Files.readString(dockerfile);
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)").matcher(text);
        String last = null;
        while (user.find()) {
            last = user.group(1);
        }
        assertThat(last).as("the Dockerfile's final USER").isEqualTo(String.valueOf(pod(cronJob).getSecurityContext().getRunAsUser()));
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$").matcher(text);
        assertThat(entrypoint.find()).as("the Dockerfile has an exec-form ENTRYPOINT").isTrue();
        assertThat(entrypoint.group(1)).as("ENTRYPOINT runs the extracted jar by its absolute path, with the AOT cache")
                .startsWith("[\"java\"").contains("\"-XX:AOTCache=/app/member-sync.aot\"")
                .contains("\"-jar\", \"/app/member-sync.jar\"");
        assertThat(text).as("the AOT cache is recorded at build time, by the runtime stage's own JVM")
                .containsPattern("(?m)^RUN .*java -XX:AOTCacheOutput=/app/member-sync.aot -jar /app/member-sync.jar demo");
    }

    // ------------------------------------------------------------------------------------------------ kustomization

    @Test
    void kustomizationTiesEveryManifestTogether() throws IOException {
        assertThat(kustomization).as("kustomization.yaml").isNotNull();
        assertThat(kustomization.get("apiVersion")).isEqualTo("kustomize.config.k8s.io/v1beta1");
        assertThat(kustomization.get("kind")).isEqualTo("Kustomization");
        assertThat(kustomization.get("namespace")).as("namespace").isEqualTo(NAMESPACE);
        assertThat(namespace.getMetadata().getName()).as("Namespace object").isEqualTo(NAMESPACE);
        assertThat(kustomization.keySet()).as("kustomization fields (a misspelt one would be ignored by kustomize)")
                .isSubsetOf("apiVersion", "kind", "namespace", "labels", "commonLabels", "resources", "components", "images");
        List<?> resources = (List<?>) kustomization.get("resources");
        assertThat(resources).as("resources").isNotNull().doesNotHaveDuplicates();
        Set<String> listed = resources.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
        Set<String> present = manifestFiles().stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).as("kustomization resources = the manifest files in k8s/").isEqualTo(present);
        for (String folder : listed(kustomization, "components")) {
            assertThat(component(folder)).as("components: %s", folder).isNotEmpty();
        }

        Map<String, Object> labels = new LinkedHashMap<>();
        if (kustomization.get("commonLabels") instanceof Map<?, ?> common) {
            common.forEach((k, v) -> labels.put(String.valueOf(k), v));
        }
        if (kustomization.get("labels") instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> e && e.get("pairs") instanceof Map<?, ?> pairs) {
                    pairs.forEach((k, v) -> labels.put(String.valueOf(k), v));
                }
            }
        }
        assertThat(labels).as("kustomization labels").containsEntry(NAME_LABEL, "member-sync");

        if (kustomization.get("images") instanceof List<?> images) {
            for (Object image : images) {
                assertThat(image).isInstanceOf(Map.class);
                assertThat(((Map<?, ?>) image).get("name")).as("images[].name matches the container image")
                        .isEqualTo(imageName(container(cronJob).getImage()));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ verify CronJob

    @Test
    void theOptionalVerifyCronJobSamplesWeeklyFailsWithoutRetryOnDriftAndRunsTheNightlyPod() throws IOException {
        Path folder = K8S.resolve("verify");
        Object parsed = SERIALIZATION.unmarshal(Files.readString(folder.resolve("cronjob.yaml"), StandardCharsets.UTF_8));
        assertThat(parsed).isInstanceOf(CronJob.class);
        CronJob verify = (CronJob) parsed;
        assertNoUnknownField(verify, "verify/cronjob.yaml");
        assertThat(verify.getMetadata().getName()).isEqualTo("member-sync-verify");
        assertThat(CronExpression.parse("0 " + verify.getSpec().getSchedule()).next(LocalDateTime.of(2026, 12, 7, 6, 0)))
                .as("weekly").isEqualTo(LocalDateTime.of(2026, 12, 13, 5, 0));
        Container container = container(verify);
        assertThat(container.getArgs()).as("a sample, --repair off").containsExactly("verify", "--sample", "5%");
        List<PodFailurePolicyRule> rules = rules(verify);
        assertThat(actionFor(rules, 4)).as("exit 4 (drift found) fails the Job at once, so it alerts").isEqualTo("FailJob");
        assertThat(actionFor(rules, 1)).as("exit 1 is retried and the verify resumes").isEqualTo("Count");
        for (int code : FAIL_AT_ONCE) {
            assertThat(actionFor(rules, code)).as("exit %d", code).isEqualTo("FailJob");
        }
        // the same pod as the nightly run's, but for its arguments
        container.setArgs(container(cronJob).getArgs());
        assertThat(verify.getSpec().getJobTemplate().getSpec().getTemplate())
                .isEqualTo(cronJob.getSpec().getJobTemplate().getSpec().getTemplate());
        // a component, so that k8s/kustomization.yaml gives it its namespace, labels and image
        Map<String, Object> component = component("verify");
        assertThat(component.keySet()).as("k8s/verify/kustomization.yaml fields").containsOnly("apiVersion", "kind", "resources");
        assertThat(component.get("resources")).isEqualTo(List.of("cronjob.yaml"));
        assertThat(listed(kustomization, "resources")).as("optional: not applied by k8s/ alone")
                .noneMatch(resource -> resource.contains("verify"));
        assertThat(listed(kustomization, "components")).as("optional: not applied by k8s/ alone").doesNotContain("verify");
    }

    // ------------------------------------------------------------------------------------------------------ alerts

    @Test
    void alertRulesCoverAMissedNightAFailedRunAndRowsNotSyncedAndSayWhatToRunFirst() throws IOException {
        Object parsed = SERIALIZATION.unmarshal(
                Files.readString(K8S.resolve("monitoring").resolve("alerts.yaml"), StandardCharsets.UTF_8));
        assertThat(parsed).isInstanceOf(GenericKubernetesResource.class);
        GenericKubernetesResource rule = (GenericKubernetesResource) parsed;
        assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.getKind()).isEqualTo("PrometheusRule");
        assertThat(rule.getMetadata().getLabels()).containsEntry(NAME_LABEL, "member-sync");
        assertThat((List<?>) kustomization.get("resources")).as("needs the Prometheus Operator: not applied by default")
                .noneMatch(resource -> String.valueOf(resource).contains("alerts"));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : (List<?>) ((Map<?, ?>) rule.getAdditionalProperties().get("spec")).get("groups")) {
            for (Object r : (List<?>) ((Map<?, ?>) group).get("rules")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> one = (Map<String, Object>) r;
                rules.add(one);
            }
        }
        Map<String, String> exprs = rules.stream().collect(Collectors.toMap(r -> (String) r.get("alert"),
                r -> (String) r.get("expr")));
        assertThat(exprs).containsOnlyKeys("MemberSyncNoSuccessfulRun", "MemberSyncRunFailed", "MemberSyncRowsNotSynced");
        assertThat(exprs.get("MemberSyncNoSuccessfulRun"))
                .contains("membersync_last_success_timestamp_seconds").contains("26 * 3600");
        assertThat(exprs.get("MemberSyncRunFailed")).contains("membersync_run_exit_code").contains("> 0");
        assertThat(exprs.get("MemberSyncRowsNotSynced")).contains("membersync_rows_total").contains("failed|refused");
        for (Map<String, Object> r : rules) {
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) r.get("annotations");
            assertThat(annotations).as("%s annotations", r.get("alert")).containsKeys("summary", "description");
            assertThat((String) annotations.get("description")).as("%s says what to run first", r.get("alert"))
                    .containsPattern("^Run `member-sync (status|failures)");
            assertThat(((Map<?, ?>) r.get("labels")).get("severity")).as("%s severity", r.get("alert")).isNotNull();
        }
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    private static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                    .filter(p -> !p.getFileName().toString().matches("kustomization\\.ya?ml"))
                    .sorted()
                    .toList();
        }
    }

    private static <T extends HasMetadata> T single(Class<T> type) {
        List<T> found = manifests.values().stream().flatMap(List::stream).filter(type::isInstance).map(type::cast).toList();
        if (found.size() != 1) {
            fail("expected exactly one %s under k8s/, found %d", type.getSimpleName(), found.size());
        }
        return found.get(0);
    }

    private static <T> T yaml(Path file) {
        assertThat(file).as("%s", K8S.relativize(file)).isRegularFile();
        try {
            return new Yaml().load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** The kustomization of an optional part under k8s/: a kustomize component, switched on in k8s/kustomization.yaml. */
    private static Map<String, Object> component(String folder) {
        Map<String, Object> component = yaml(K8S.resolve(folder).resolve("kustomization.yaml"));
        assertThat(component).as("k8s/%s/kustomization.yaml", folder).isNotNull();
        assertThat(component.get("apiVersion")).as("k8s/%s/kustomization.yaml apiVersion", folder)
                .isEqualTo("kustomize.config.k8s.io/v1alpha1");
        assertThat(component.get("kind")).as("k8s/%s/kustomization.yaml kind: k8s/ cannot be included from inside it", folder)
                .isEqualTo("Component");
        return component;
    }

    private static List<String> listed(Map<String, Object> kustomization, String field) {
        return Optional.ofNullable((List<?>) kustomization.get(field)).orElse(List.of()).stream().map(String::valueOf).toList();
    }

    /** {@code base} with the JSON patch (RFC 6902) of the component in {@code folder}, applied as kustomize does. */
    private static CronJob patched(CronJob base, Path folder) {
        Map<String, Object> component = yaml(folder.resolve("kustomization.yaml"));
        List<?> patches = (List<?>) component.get("patches");
        assertThat(patches).as("%s patches", K8S.relativize(folder)).isNotEmpty();
        Object tree = SERIALIZATION.convertValue(base, Map.class);
        for (Object patch : patches) {
            List<?> operations = yaml(folder.resolve(String.valueOf(((Map<?, ?>) patch).get("path"))));
            assertThat(operations).as("%s: a JSON patch, a list of operations", ((Map<?, ?>) patch).get("path")).isNotEmpty();
            for (Object operation : operations) {
                applyPatchOperation(tree, (Map<?, ?>) operation);
            }
        }
        return SERIALIZATION.convertValue(tree, CronJob.class);
    }

    @SuppressWarnings("unchecked")
    private static void applyPatchOperation(Object tree, Map<?, ?> operation) {
        assertThat(operation.keySet().stream().map(String::valueOf)).as("JSON patch operation fields").isSubsetOf("op", "path", "value");
        String path = String.valueOf(operation.get("path"));
        assertThat(path).as("JSON patch path").startsWith("/");
        List<String> tokens = Stream.of(path.substring(1).split("/", -1))
                .map(token -> token.replace("~1", "/").replace("~0", "~")).toList();
        Object parent = tree;
        for (String token : tokens.subList(0, tokens.size() - 1)) {
            parent = child(parent, token, path);
        }
        String last = tokens.getLast();
        Object value = operation.get("value");
        String op = String.valueOf(operation.get("op"));
        if (op.equals("test")) {
            assertThat(child(parent, last, path)).as("JSON patch test %s", path).isEqualTo(value);
        } else if (op.equals("remove") || op.equals("replace")) {
            child(parent, last, path);
            if (parent instanceof List<?> list) {
                ((List<Object>) list).remove(Integer.parseInt(last));
            } else {
                ((Map<String, Object>) parent).remove(last);
            }
        }
        if (op.equals("add") || op.equals("replace")) {
            if (parent instanceof List<?> list) {
                int index = last.equals("-") ? list.size() : Integer.parseInt(last);
                assertThat(index).as("JSON patch %s: index within the list", path).isBetween(0, list.size());
                ((List<Object>) list).add(index, value);
            } else {
                assertThat(parent).as("JSON patch %s: parent", path).isInstanceOf(Map.class);
                ((Map<String, Object>) parent).put(last, value);
            }
        } else {
            assertThat(op).as("JSON patch op").isIn("test", "remove");
        }
    }

    private static Object child(Object parent, String token, String path) {
        Object child = null;
        if (parent instanceof Map<?, ?> map) {
            child = map.get(token);
        } else if (parent instanceof List<?> list && token.matches("0|[1-9][0-9]*") && Integer.parseInt(token) < list.size()) {
            child = list.get(Integer.parseInt(token));
        }
        assertThat(child).as("JSON patch %s: %s exists", path, token).isNotNull();
        return child;
    }

    private static boolean indexed(CronJob job) {
        return "Indexed".equals(job.getSpec().getJobTemplate().getSpec().getCompletionMode());
    }

    private static PodSpec pod(CronJob job) {
        return job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    }

    private static Container container(CronJob job) {
        assertThat(pod(job).getContainers()).as("containers").isNotEmpty();
        return pod(job).getContainers().get(0);
    }

    private static Map<String, EnvVar> env(CronJob job) {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        for (EnvVar e : Optional.ofNullable(container(job).getEnv()).orElse(List.of())) {
            assertThat(env.put(e.getName(), e)).as("env %s is set once", e.getName()).isNull();
        }
        return env;
    }

    private static Set<String> references(String text) {
        Set<String> names = new TreeSet<>();
        Matcher reference = VARIABLE_REFERENCE.matcher(text == null ? "" : text);
        while (reference.find()) {
            names.add(reference.group(1));
        }
        return names;
    }

    private static Set<String> secretKeys() {
        Set<String> keys = new TreeSet<>();
        Optional.ofNullable(secret.getData()).ifPresent(d -> keys.addAll(d.keySet()));
        Optional.ofNullable(secret.getStringData()).ifPresent(d -> keys.addAll(d.keySet()));
        return keys;
    }

    /** Files of a Secret volume are root's, in the pod's fsGroup: the group reads them, no one else, no one writes. */
    private static void assertReadableByThePodsGroupOnly(Integer mode, String what) {
        assertThat(mode).as("%s", what).isNotNull().isBetween(0, 0777);
        assertThat(mode & 0040).as("%s (%s): readable by the group", what, Integer.toOctalString(mode)).isNotZero();
        assertThat(mode & 0007).as("%s (%s): nothing for others", what, Integer.toOctalString(mode)).isZero();
        assertThat(mode & 0222).as("%s (%s): writable by no one", what, Integer.toOctalString(mode)).isZero();
    }

    private static Volume volume(CronJob job, String name) {
        return Optional.ofNullable(pod(job).getVolumes()).orElse(List.of()).stream().filter(v -> name.equals(v.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no volume named " + name));
    }

    private static VolumeMount mount(CronJob job, String volume) {
        List<VolumeMount> mounts = Optional.ofNullable(container(job).getVolumeMounts()).orElse(List.of()).stream()
                .filter(m -> volume.equals(m.getName())).toList();
        assertThat(mounts).as("mounts of volume %s", volume).hasSize(1);
        return mounts.get(0);
    }

    private static String mountPath(CronJob job, String volume) {
        return mount(job, volume).getMountPath();
    }

    private static String imageName(String image) {
        String withoutDigest = image.split("@", 2)[0];
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    private static EnumerablePropertySource<?> applicationYml() {
        String text = configMap.getData() == null ? null : configMap.getData().get("application.yml");
        assertThat(text).as("ConfigMap application.yml").isNotBlank();
        try {
            List<PropertySource<?>> documents = new YamlPropertySourceLoader()
                    .load("application.yml", new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)));
            Map<String, Object> all = new LinkedHashMap<>();
            for (PropertySource<?> document : documents) {
                EnumerablePropertySource<?> e = (EnumerablePropertySource<?>) document;
                for (String name : e.getPropertyNames()) {
                    all.put(name, String.valueOf(e.getProperty(name)));
                }
            }
            return new MapPropertySource("configmap application.yml", all);
        } catch (IOException e) {
            throw new AssertionError("application.yml in the ConfigMap is not valid YAML", e);
        }
    }

    /** The accounts application.yml configures: the names under member-sync.vendors. */
    private static Set<String> accounts(EnumerablePropertySource<?> yml) {
        return Stream.of(yml.getPropertyNames()).filter(name -> name.startsWith("member-sync.vendors."))
                .map(name -> name.split("\\.")[2]).collect(Collectors.toCollection(TreeSet::new));
    }

    /** An account's vendor: its {@code type}, which an account named like its vendor may leave out. */
    private static String vendorOf(EnumerablePropertySource<?> yml, String account) {
        return Optional.ofNullable(yml.getProperty("member-sync.vendors." + account + ".type")).map(String::valueOf).orElse(account);
    }

    private static List<PodFailurePolicyRule> rules(CronJob job) {
        return Optional.ofNullable(job.getSpec().getJobTemplate().getSpec().getPodFailurePolicy())
                .map(PodFailurePolicy::getRules).orElse(List.of());
    }

    private static Set<Integer> codesWith(List<PodFailurePolicyRule> rules, String action) {
        return IntStream.rangeClosed(1, 255).filter(code -> action.equals(actionFor(rules, code)))
                .boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The action Kubernetes takes for a container exit code: the first rule whose onExitCodes match, else Count.
     * Rules on pod conditions are left out (a plain exit carries no DisruptionTarget condition).
     */
    private static String actionFor(List<PodFailurePolicyRule> rules, int exitCode) {
        for (PodFailurePolicyRule rule : rules) {
            PodFailurePolicyOnExitCodesRequirement codes = rule.getOnExitCodes();
            if (codes == null) {
                continue;
            }
            boolean listed = codes.getValues().contains(exitCode);
            if ("In".equals(codes.getOperator()) == listed) {
                return rule.getAction();
            }
        }
        return "Count";
    }

    /** Whether {@code path} (kebab-case segments) names a record component, following maps by their keys. */
    private static boolean isComponentPath(Class<?> record, List<String> path) {
        if (path.isEmpty()) {
            return false;
        }
        for (RecordComponent component : record.getRecordComponents()) {
            if (kebab(component.getName()).equals(path.get(0))) {
                return fits(component.getGenericType(), path.subList(1, path.size()));
            }
        }
        return false;
    }

    private static boolean fits(Type type, List<String> rest) {
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            return !rest.isEmpty() && fits(p.getActualTypeArguments()[1], rest.subList(1, rest.size()));
        }
        if (type instanceof Class<?> c && c.isRecord()) {
            return isComponentPath(c, rest);
        }
        return rest.isEmpty();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static void assertNoUnknownField(HasMetadata object, String where) {
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(object, object.getKind(), unknown, 0);
        assertThat(unknown).as("%s: fields Kubernetes does not know (a typo?)", where).isEmpty();
    }

    /**
     * fabric8 keeps fields its model does not know in {@code additionalProperties}: any entry there is a field
     * Kubernetes would reject or silently drop, most often a misspelt name.
     */
    private static void collectUnknownFields(Object node, String path, List<String> unknown, int depth) {
        if (node == null || depth > 40) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown, depth + 1);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown, depth + 1));
            return;
        }
        if (!isModel(node.getClass())) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")) {
                continue;
            }
            Class<?> returns = getter.getReturnType();
            boolean additional = getter.getName().equals("getAdditionalProperties");
            if (!additional && !isModel(returns) && !Collection.class.isAssignableFrom(returns)
                    && !Map.class.isAssignableFrom(returns)) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (additional) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            String property = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            collectUnknownFields(value, path + "." + property, unknown, depth + 1);
        }
    }

    private static boolean isModel(Class<?> type) {
        return type.getName().startsWith("io.fabric8.kubernetes.api.model.");
    }
}
