package dev.appservice.operator.testing;

import dev.appservice.operator.api.AccessRestriction;
import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.RuleAccess;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import dev.appservice.operator.network.CidrNotation;
import dev.appservice.operator.validation.HostNameRules;
import dev.appservice.operator.validation.WebAppBudget;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * The largest WebApps the project's rules admit, built from the rules' named constants: every
 * counted list at its limit ({@link WebAppBudget}, {@link WebAppSpec}), then the object filled to
 * {@link WebAppBudget#MAX_OBJECT_BYTES} with the string that weighs most on the heap per byte of
 * JSON (ASCII with one character beyond Latin-1, which makes Java hold every character in two
 * bytes). Two shapes, because which weighs more depends on the limits:
 *
 * <ul>
 *   <li>{@link Shape#SMALLEST_ENTRIES}: each entry as short as it may be, where Java's per-object
 *       overhead weighs most against the JSON;
 *   <li>{@link Shape#LONGEST_ENTRIES}: each string at its maximum length (80-character rule names,
 *       49-character IPv6 CIDRs, 253-character host names), as many entries as the bytes allow.
 * </ul>
 *
 * The app is {@value #NAME} (or the name given) on plan {@value #PLAN} in the namespace given; its
 * host names lie outside any environment's {@code dnsSuffix} and name the app (so many such apps
 * share an environment), and every slot has an empty list of access rules of
 * its own, so the front ends hold the app's rules once (the count that {@code FrontEndShareRules}
 * bounds).
 */
public final class MaximalWebApp {
    public static final String NAME = "maximal";
    public static final String PLAN = "web";

    /** The widest IPv6 literal with the longest prefix: 45 characters of address (IPv4 tail) and "/128". */
    static final String LONGEST_CIDR_ADDRESS = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";

    /** A character beyond Latin-1: a string holding one is stored by Java in two bytes a character. */
    static final char WIDE = 'Ā';

    public enum Shape {
        SMALLEST_ENTRIES,
        LONGEST_ENTRIES
    }

    private MaximalWebApp() {}

    /** The largest WebApp of the given shape: at every count limit, then filled to the byte limit. */
    public static WebApp build(String namespace, Shape shape) {
        return build(namespace, NAME, shape);
    }

    /** The largest WebApp of the given shape, named {@code name}. */
    public static WebApp build(String namespace, String name, Shape shape) {
        boolean longest = shape == Shape.LONGEST_ENTRIES;
        WebApp app = Fixtures.app(namespace, name, PLAN, 8080);
        WebAppSpec spec = app.getSpec();
        spec.setHealthCheckPath("/healthz");
        List<DeploymentSlot> slots = new ArrayList<>();
        for (int i = 0; i < WebAppSpec.MAX_SLOTS; i++) {
            DeploymentSlot slot = new DeploymentSlot();
            slot.setName("s" + i);
            slot.setImage("registry.example/slot:" + i);
            slot.setAccessRestrictions(new ArrayList<>());
            slots.add(slot);
        }
        spec.setSlots(slots);
        List<String> hosts = new ArrayList<>();
        spec.setHostNames(hosts);
        addWhileFits(
                app,
                hosts,
                WebAppSpec.MAX_HOST_NAMES,
                i -> longest ? longestHostName(name, i) : "h" + i + "." + name + ".com");
        // Metadata entries as owner references, the heaviest kind (an object of four strings and a map), but one
        // kept for the filler annotation.
        List<OwnerReference> owners = new ArrayList<>();
        app.getMetadata().setOwnerReferences(owners);
        addWhileFits(
                app,
                owners,
                WebAppBudget.MAX_METADATA_ENTRIES - 1,
                i -> new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("ConfigMap")
                        .withName(longest ? "o".repeat(HostNameRules.HOST_NAME_LENGTH) : "o" + i)
                        .withUid(UUID.nameUUIDFromBytes(new byte[] {(byte) i}).toString())
                        .build());
        List<EnvVar> env = new ArrayList<>();
        spec.setEnv(env);
        addWhileFits(
                app,
                env,
                WebAppBudget.MAX_ENV_ENTRIES,
                i -> new EnvVarBuilder()
                        .withName("E" + i)
                        .withNewValueFrom()
                        .withNewResourceFieldRef()
                        .withResource("limits.cpu")
                        .withDivisor(new io.fabric8.kubernetes.api.model.Quantity("1"))
                        .endResourceFieldRef()
                        .endValueFrom()
                        .build());
        // What the CRD defaults, written out: the API server adds it to the object before the webhook
        // counts its bytes, so an app filled to the limit without it would be over it there.
        if (spec.getKind() == null) {
            spec.setKind(WebAppSpec.KIND_APP);
        }
        if (spec.getPort() == null) {
            spec.setPort(WebAppSpec.DEFAULT_PORT);
        }
        if (spec.getStartTimeLimit() == null) {
            spec.setStartTimeLimit(WebAppSpec.DEFAULT_START_TIME_LIMIT);
        }
        List<AccessRestriction> rules = new ArrayList<>();
        spec.setAccessRestrictions(rules);
        addWhileFits(app, rules, WebAppBudget.MAX_ACCESS_RULES, i -> longest ? longestRule(i) : shortestRule(i));
        fill(app);
        return app;
    }

    /** Adds {@code make(i)} to the list up to {@code limit} entries, while the object stays within its bytes. */
    private static <T> void addWhileFits(WebApp app, List<T> list, int limit, IntFunction<T> make) {
        for (int i = 0; i < limit; i++) {
            list.add(make.apply(i));
            if (WebAppBudget.objectBytes(app) > WebAppBudget.MAX_OBJECT_BYTES) {
                list.remove(list.size() - 1);
                return;
            }
        }
    }

    /** The shortest access rule the rules admit, with priority {@code index + 1}. */
    public static AccessRestriction shortestRule(int index) {
        return Fixtures.accessRestriction("r", index + 1, RuleAccess.Allow, "::/0");
    }

    /** Fills the object to exactly {@link WebAppBudget#MAX_OBJECT_BYTES} with one annotation of wide characters. */
    private static void fill(WebApp app) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("fill", "");
        app.getMetadata().setAnnotations(annotations);
        long room = WebAppBudget.MAX_OBJECT_BYTES - WebAppBudget.objectBytes(app);
        if (room <= 0) {
            annotations.clear();
            return;
        }
        // The wide character is two bytes of UTF-8; every other one is ASCII. With one byte of room, one ASCII.
        annotations.put("fill", room >= 2 ? WIDE + "x".repeat((int) room - 2) : "x".repeat((int) room));
        while (WebAppBudget.objectBytes(app) > WebAppBudget.MAX_OBJECT_BYTES) {
            String value = annotations.get("fill");
            annotations.put("fill", value.substring(0, value.length() - 1));
        }
    }

    /** A rule with the longest name and CIDR the rules admit. */
    private static AccessRestriction longestRule(int index) {
        String name = ("rule-" + index + "-").concat("x".repeat(AccessRestriction.MAX_NAME_LENGTH));
        String cidr = LONGEST_CIDR_ADDRESS + "/128";
        if (CidrNotation.LONGEST_ADDRESS != LONGEST_CIDR_ADDRESS.length()) {
            throw new IllegalStateException("the longest IPv6 literal is no longer " + LONGEST_CIDR_ADDRESS.length());
        }
        return Fixtures.accessRestriction(
                name.substring(0, AccessRestriction.MAX_NAME_LENGTH), index + 1, RuleAccess.Allow, cidr);
    }

    /** A host name of {@link HostNameRules#HOST_NAME_LENGTH} characters in labels of at most {@link HostNameRules#LABEL_LENGTH}. */
    private static String longestHostName(String app, int index) {
        String tail = ".h" + index + "." + app + ".com";
        StringBuilder name = new StringBuilder();
        while (name.length() + tail.length() < HostNameRules.HOST_NAME_LENGTH) {
            int label = Math.min(
                    HostNameRules.LABEL_LENGTH, HostNameRules.HOST_NAME_LENGTH - tail.length() - name.length() - 1);
            if (name.length() > 0) {
                name.append('.');
            }
            name.append("a".repeat(Math.max(1, label)));
        }
        return name + tail;
    }
}
