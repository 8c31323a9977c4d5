package dev.appservice.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.cli.CommandLine;
import dev.appservice.operator.cli.OfflineCommand;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.ResourceNames;
import dev.appservice.operator.testing.HostileResources;
import dev.appservice.operator.validation.AdmissionRules;
import dev.appservice.operator.validation.ClusterView;
import dev.appservice.operator.validation.DeletionRules;
import dev.appservice.operator.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25's hostile cases ({@link HostileResources#running}): a slot storm on the oldest app,
 * plans shrunk in size and in instances, maximal apps (host names, access rules across slots, short
 * and as long as they get) and newcomers, on plans that run apps recorded as the operator records
 * them. Each change goes through the webhook's rules against the cluster, and its resulting
 * manifests through {@code validate} and {@code render}: both exit alike and name the same apps as
 * not running, {@code render} writes a Deployment for exactly the others, and the apps the webhook
 * says a refused change would displace are the ones {@code render} leaves out.
 */
class HostileRunningAppsTest {
    static final long SEED = HostileInputTest.SEED + 25;
    static final int CASES = 60;
    static final KubernetesSerialization YAML = new KubernetesSerialization();
    static final Pattern NOT_RUNNING =
            Pattern.compile("WebApp [^/ ]+/([^: ]+): .*(will not run|the app is not rendered)");
    static final Pattern DISPLACED =
            Pattern.compile("would displace running WebApps? ([^:;]+?)(?: and (\\d+) more)?[:;]");

    record Offline(int exitCode, String stdout, List<String> errors, List<String> warnings) {
        Set<String> notRunning() {
            return notRunningIn(warnings);
        }
    }

    static Set<String> notRunningIn(List<String> lines) {
        Set<String> names = new TreeSet<>();
        for (String line : lines) {
            Matcher m = NOT_RUNNING.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static Offline offline(String command, Path directory) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {command, "-f", directory.toString()});
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        return new Offline(
                code,
                out.toString(StandardCharsets.UTF_8),
                lines.stream().filter(l -> l.startsWith("error: ")).toList(),
                lines.stream().filter(l -> l.startsWith("warning: ")).toList());
    }

    static String yaml(List<HasMetadata> resources) {
        StringBuilder text = new StringBuilder();
        resources.forEach(r -> text.append(YAML.asYaml(r)));
        return text.toString();
    }

    static Set<String> renderedApps(String stdout) {
        Set<String> names = new TreeSet<>();
        for (HasMetadata object : HostileManifestsTest.parse(stdout)) {
            if (object instanceof Deployment d) {
                names.add(d.getMetadata().getName());
            }
        }
        return names;
    }

    /** A property test over {@link #CASES} generated changes, a minute and more: CI runs it, the quick loop does not. */
    @Test
    @org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.SLOW)
    void validateRenderAndTheWebhookAgreeOnEveryCase(@TempDir Path directory) throws Exception {
        HostileResources generator = new HostileResources(SEED);
        Map<HostileResources.Change, int[]> seen = new EnumMap<>(HostileResources.Change.class);
        Path all = Files.createDirectories(directory.resolve("accepted"));
        Set<String> notRunningAccepted = new TreeSet<>();
        for (int i = 0; i < CASES; i++) {
            HostileResources.Running c = generator.running(i);
            String what = "case " + i + " (" + c.change() + ")";
            // The webhook's rules, against the cluster as it is (statuses recorded).
            ClusterView cluster = ClusterView.of(List.of(c.environment()), List.of(c.plan()), c.apps());
            List<Violation> review = AdmissionRules.check(
                    c.changed(),
                    c.previous(),
                    cluster,
                    OperatorSettings.defaults().network());
            List<Violation> refusals = review.stream().filter(v -> !v.warning()).toList();

            // The manifests of the state the change asks for, through validate and render.
            Path dir = Files.createDirectories(directory.resolve("case-" + i));
            Files.writeString(dir.resolve("resources.yaml"), yaml(c.after()));
            Offline validate = offline("validate", dir);
            Offline render = offline("render", dir);
            assertThat(render.exitCode()).as(what + "\n" + validate).isEqualTo(validate.exitCode());
            assertThat(render.errors()).as(what).isEqualTo(validate.errors());
            assertThat(render.notRunning())
                    .as(what + ": the apps named as not running")
                    .isEqualTo(validate.notRunning());
            Set<String> notRunning = validate.notRunning();
            if (validate.exitCode() == CommandLine.OK) {
                // render writes a Deployment for exactly the apps not named.
                List<String> apps = c.after().stream()
                        .filter(WebApp.class::isInstance)
                        .map(r -> r.getMetadata().getName())
                        .toList();
                Set<String> expected = new TreeSet<>();
                apps.stream()
                        .filter(n -> !notRunning.contains(n))
                        .forEach(n -> expected.add(ResourceNames.appWorkload(n)));
                Set<String> rendered = renderedApps(render.stdout());
                rendered.retainAll(apps.stream().map(ResourceNames::appWorkload).toList());
                assertThat(rendered).as(what + ": apps rendered").isEqualTo(expected);
                Files.writeString(all.resolve("case-" + i + ".yaml"), yaml(c.after()));
                notRunningAccepted.addAll(
                        notRunning.stream().map(n -> c.index() + "/" + n).toList());
            } else {
                assertThat(render.stdout()).as(what).isEmpty();
            }

            Set<String> waitingBefore = new TreeSet<>(c.waitingBefore());
            switch (c.change()) {
                case SLOT_STORM, SHRINK_SIZE -> {
                    assertThat(validate.exitCode()).as(what + "\n" + validate).isZero();
                    Set<String> displaced = new TreeSet<>(waitingBefore);
                    if (!refusals.isEmpty()) {
                        Violation refusal = refusals.get(0);
                        assertThat(refusals).as(what).hasSize(1);
                        assertThat(refusal.field())
                                .as(what)
                                .isEqualTo(
                                        c.change() == HostileResources.Change.SLOT_STORM ? "spec.slots" : "spec.size");
                        assertThat(refusal.message()).as(what).contains("runs at most");
                        Matcher m = DISPLACED.matcher(refusal.message());
                        List<String> named = new ArrayList<>();
                        int more = 0;
                        if (m.find()) {
                            named.addAll(Arrays.asList(m.group(1).split(", ")));
                            more = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
                        }
                        if (refusal.message().contains("this app would not run either")) {
                            named.add(c.changed().getMetadata().getName());
                        }
                        assertThat(named)
                                .as(what + ": names the apps it would leave out: " + refusal.message())
                                .isNotEmpty();
                        // What render leaves out, less the apps already waiting, is what the webhook names.
                        Set<String> leftOut = new TreeSet<>(notRunning);
                        leftOut.removeAll(waitingBefore);
                        assertThat(leftOut).as(what + ": " + refusal.message()).hasSize(named.size() + more);
                        assertThat(leftOut).as(what).containsAll(named);
                        seen.computeIfAbsent(c.change(), k -> new int[2])[0]++;
                    } else {
                        assertThat(notRunning)
                                .as(what + ": accepted, so no running app is left out")
                                .isEqualTo(displaced);
                        seen.computeIfAbsent(c.change(), k -> new int[2])[1]++;
                    }
                }
                case SHRINK_INSTANCES -> {
                    assertThat(refusals)
                            .as(what + ": fewer instances displace no app")
                            .isEmpty();
                    assertThat(notRunning).as(what).isEqualTo(waitingBefore);
                }
                case MAXIMAL_APP, NEWCOMER -> {
                    WebApp newcomer = (WebApp) c.changed();
                    if (refusals.isEmpty()) {
                        assertThat(validate.exitCode())
                                .as(what + "\n" + validate)
                                .isZero();
                        boolean warned = review.stream()
                                .anyMatch(v -> v.warning() && v.message().contains("will not run"));
                        Set<String> expected = new TreeSet<>(waitingBefore);
                        if (warned) {
                            expected.add(newcomer.getMetadata().getName());
                        }
                        assertThat(notRunning)
                                .as(what + ": the webhook warns of what render leaves out")
                                .isEqualTo(expected);
                        seen.computeIfAbsent(c.change(), k -> new int[2])[1]++;
                    } else {
                        // Refused alike, for the same field and limit.
                        assertThat(validate.exitCode()).as(what).isEqualTo(CommandLine.INVALID_INPUT);
                        for (Violation refusal : refusals) {
                            assertThat(validate.errors()).as(what).anyMatch(l -> l.contains(refusal.describe()));
                            assertThat(refusal.field())
                                    .as(what)
                                    .matches(
                                            "spec\\.(slots\\[\\*]\\.)?accessRestrictions|spec\\.hostNames|spec\\.slots");
                        }
                        seen.computeIfAbsent(c.change(), k -> new int[2])[0]++;
                    }
                }
            }
        }
        // The seed reaches both outcomes where there are two.
        for (HostileResources.Change change : List.of(
                HostileResources.Change.SLOT_STORM,
                HostileResources.Change.SHRINK_SIZE,
                HostileResources.Change.MAXIMAL_APP)) {
            assertThat(seen.get(change)[0]).as(change + " refused").isPositive();
            assertThat(seen.get(change)[1]).as(change + " accepted").isPositive();
        }
        assertThat(notRunningAccepted).as("some cases leave apps out").isNotEmpty();

        // The CLI as users run it, as processes, over every accepted case at once: the same apps named.
        OfflineCommand.Run validate = OfflineCommand.run("validate", "-f", all.toString());
        OfflineCommand.Run render = OfflineCommand.run("render", "-f", all.toString());
        assertThat(validate.exitCode()).as(validate.stderr()).isZero();
        assertThat(render.exitCode()).as(render.stderr()).isZero();
        Set<String> processValidate = notRunningIn(validate.stderr().lines().toList());
        assertThat(notRunningIn(render.stderr().lines().toList())).isEqualTo(processValidate);
        Set<String> perCase = new TreeSet<>();
        notRunningAccepted.forEach(n -> perCase.add(n.substring(n.indexOf('/') + 1)));
        assertThat(processValidate).isEqualTo(perCase);
    }

    /**
     * Deletes in every order: an environment, its plan and two apps, deleted one at a time in each
     * of the 24 orders, each delete reviewed by the webhook's rules against what is left. A parent
     * is refused exactly while it has dependents (naming them), and let through when annotated; so
     * an order that deletes a parent first is refused at that step and goes on once the children are
     * gone (a GitOps prune's retry).
     */
    @Test
    void deletesInEveryOrderAreRefusedExactlyWhileAParentHasDependents() {
        HostileResources.Running c = new HostileResources(SEED).running(0);
        AppServiceEnvironment environment = c.environment();
        IsolatedPlan plan = c.plan();
        List<HasMetadata> all =
                List.of(environment, plan, c.apps().get(0), c.apps().get(1));
        int refusals = 0;
        for (List<HasMetadata> order : permutations(all)) {
            for (boolean annotated : List.of(false, true)) {
                List<HasMetadata> left = new ArrayList<>(all);
                List<HasMetadata> queue = new ArrayList<>(order);
                int steps = 0;
                while (!queue.isEmpty()) {
                    assertThat(steps++).as("a prune that retries ends").isLessThan(20);
                    HasMetadata next = queue.remove(0);
                    HasMetadata reviewed = YAML.clone(next);
                    if (annotated) {
                        reviewed.getMetadata()
                                .setAnnotations(Map.of(DeletionRules.ALLOW_DELETE_WITH_DEPENDENTS, "true"));
                    }
                    ClusterView view = ClusterView.of(
                            left.stream()
                                    .filter(AppServiceEnvironment.class::isInstance)
                                    .map(AppServiceEnvironment.class::cast)
                                    .toList(),
                            left.stream()
                                    .filter(IsolatedPlan.class::isInstance)
                                    .map(IsolatedPlan.class::cast)
                                    .toList(),
                            left.stream()
                                    .filter(WebApp.class::isInstance)
                                    .map(WebApp.class::cast)
                                    .toList());
                    List<Violation> refused = DeletionRules.check(reviewed, view);
                    boolean hasDependents = next == environment
                            ? left.contains(plan)
                            : next == plan && left.stream().anyMatch(WebApp.class::isInstance);
                    String what = "deleting " + next.getKind() + " "
                            + next.getMetadata().getName() + " in order "
                            + order.stream().map(r -> r.getMetadata().getName()).toList()
                            + (annotated ? " (annotated)" : "");
                    if (hasDependents && !annotated) {
                        String dependent = next == environment
                                ? plan.getMetadata().getName()
                                : left.stream()
                                        .filter(WebApp.class::isInstance)
                                        .map(r -> r.getMetadata().getName())
                                        .sorted()
                                        .findFirst()
                                        .orElseThrow();
                        assertThat(refused)
                                .as(what)
                                .singleElement()
                                .satisfies(v -> assertThat(v.describe())
                                        .contains("cannot be deleted while")
                                        .contains(dependent));
                        refusals++;
                        // Refused, so left in place and tried again after the rest, as Argo CD's and Flux's prunes
                        // retry.
                        queue.add(next);
                        continue;
                    }
                    assertThat(refused).as(what).isEmpty();
                    left.remove(next);
                }
                assertThat(left).as("every order ends with everything deleted").isEmpty();
            }
        }
        assertThat(refusals)
                .as("orders that delete a parent first are refused at that step")
                .isPositive();
    }

    static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> all = new ArrayList<>();
        for (T first : items) {
            List<T> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<T> tail : permutations(rest)) {
                List<T> order = new ArrayList<>();
                order.add(first);
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }
}
