package dev.appservice.operator.cli;

import dev.appservice.operator.certificates.WebhookCertificateRotation;
import dev.appservice.operator.certificates.WebhookCertificates;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the operator's jar. {@code render} and {@code validate} run offline and exit
 * without starting Quarkus (no cluster, no banner on stdout); no command, or {@code run}, starts
 * the operator.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (CommandLine.isOfflineCommand(args)) {
            // The libraries that log through java.util.logging (cel-java) find Quarkus's log manager, as in the
            // operator.
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
            int code;
            try {
                code = new CommandLine(System.out, System.err).run(args);
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError | LinkageError e) {
                // One line, no stack trace, no raw control characters: whatever went wrong.
                System.err.println("error: " + e.getClass().getSimpleName() + ": "
                        + dev.appservice.operator.model.Quoted.of(String.valueOf(e.getMessage())));
                code = CommandLine.INVALID_INPUT;
            }
            System.exit(code);
        }
        if (args.length > 0 && !args[0].equals("run")) {
            System.err.println("unknown command '" + args[0] + "'");
            System.err.println(CommandLine.USAGE_TEXT);
            System.exit(CommandLine.USAGE);
        }
        WebhookCertificates.Settings.fromEnvironment(System.getenv()).ifPresent(WebhookCertificateRotation::prepare);
        Quarkus.run(args.length > 0 ? java.util.Arrays.copyOfRange(args, 1, args.length) : args);
    }
}
