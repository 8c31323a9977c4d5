package dev.appservice.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code validate} on apps' certificates, in process: a Secret name or issuer that is not a name
 * is refused, one line per problem naming file, object, field and limit, user text escaped.
 * Whether cert-manager is installed cannot be known offline, so an issuer alone is not refused.
 */
class AppTlsValidateTest {

    @Test
    void refusesSecretAndIssuerNamesNamingFileObjectFieldAndLimit() {
        Path file = Path.of("src/test/resources/manifests/bad-app-tls.yaml");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new CommandLine(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(new String[] {"validate", "-f", file.toString()});
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isEqualTo(CommandLine.INVALID_INPUT);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        List<String> errors =
                stderr.lines().filter(l -> l.startsWith("error: ")).toList();
        // The CRD's schema refuses the names first, in the API server's words (kubectl apply would say the same).
        String subdomain = "'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'";
        assertThat(errors)
                .containsExactly(
                        "error: " + file
                                + " (document 1): WebApp contoso/secured: spec.tls.secretName: Invalid value: 'Shop_TLS': should match "
                                + subdomain,
                        "error: " + file
                                + " (document 1): WebApp contoso/secured: spec.tls.issuerRef.kind: Invalid value: 'cluster-issuer': should match '^[A-Z][A-Za-z0-9]*$'",
                        "error: " + file
                                + " (document 1): WebApp contoso/secured: spec.tls.issuerRef.group: Invalid value: 'cert-manager.io\\nevil': should match "
                                + subdomain,
                        "error: " + file
                                + " (document 2): WebApp contoso/nameless: spec.tls.issuerRef needs spec.hostNames: the certificate is issued for the app's own host names (<app>.<dnsSuffix> is served with the environment's certificate)");
        assertThat(stderr.lines()).noneMatch(l -> l.equals("evil'"));
    }
}
