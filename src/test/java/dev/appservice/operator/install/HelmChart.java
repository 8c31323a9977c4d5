package dev.appservice.operator.install;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The project's Helm chart, rendered by Helm's own engine (helm-java), as {@code helm template}
 * with the CRDs would, for the release name and namespace the install docs and {@code k8s/} use.
 */
final class HelmChart {
    static final Path CHART = Path.of("helm", "ase-operator");
    static final String RELEASE = "ase-operator";
    static final String NAMESPACE = "ase-operator";
    /**
     * The Kubernetes version Helm renders for. The official helm binary defaults to the client-go
     * version it was built with; helm-java's library reports v1.20, below the chart's kubeVersion
     * (>= 1.25), so the tests name a supported one, as Argo CD does with the target cluster's.
     */
    static final String KUBE_VERSION = "v1.31.0";
    /** What the chart renders for the operator itself, webhook aside ("Kind namespace/name"). */
    static final List<String> OPERATOR_OBJECTS = List.of(
            "ServiceAccount ase-operator/ase-operator",
            "ClusterRole ase-operator",
            "ClusterRoleBinding ase-operator",
            "Role ase-operator/ase-operator-leader-election",
            "RoleBinding ase-operator/ase-operator-leader-election",
            "Deployment ase-operator/ase-operator",
            "PodDisruptionBudget ase-operator/ase-operator",
            "NetworkPolicy ase-operator/ase-operator");

    private HelmChart() {}

    /** The chart rendered with its default values. */
    static Manifest render() {
        return render("");
    }

    /** The chart rendered with these values (YAML) over its defaults. */
    static Manifest render(String valuesYaml) {
        return Manifest.parse(template(valuesYaml));
    }

    /** {@code helm template} output, as text; throws when Helm refuses the values or a template. */
    static String template(String valuesYaml) {
        Path values = null;
        try {
            values = Files.createTempFile("ase-operator-values", ".yaml");
            Files.writeString(values, valuesYaml);
            return new Helm(CHART)
                    .template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withKubeVersion(KUBE_VERSION)
                    .withValuesFile(values)
                    .call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (values != null) {
                try {
                    Files.deleteIfExists(values);
                } catch (IOException ignored) {
                    // a temp file left behind
                }
            }
        }
    }

    static LintResult lint() {
        return new Helm(CHART).lint().strict().call();
    }
}
