package dev.appservice.operator.cli;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.model.Quoted;
import dev.appservice.operator.validation.AdmissionRules;
import dev.appservice.operator.validation.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline commands of the operator's jar: {@code render} and {@code validate}. No cluster, no
 * Quarkus start-up: plain functions over manifest files. Results go to stdout, problems to stderr,
 * one line each. Exit codes: 0 success (warnings may be printed), 1 invalid input, 2 wrong usage.
 */
public final class CommandLine {
    public static final int OK = 0;
    public static final int INVALID_INPUT = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            Usage: ase-operator [run]                      run the operator (needs a cluster)
                   ase-operator render -f <file|dir>...    print every object the operator would create
                   ase-operator validate -f <file|dir>...  check manifests against the admission rules
            Exit codes: 0 success, 1 invalid input, 2 wrong usage.""";

    private final PrintStream out;
    private final PrintStream err;

    public CommandLine(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static boolean isOfflineCommand(String[] args) {
        return args.length > 0
                && (args[0].equals("render")
                        || args[0].equals("validate")
                        || args[0].equals("help")
                        || args[0].equals("--help")
                        || args[0].equals("-h"));
    }

    public int run(String[] args) {
        if (args.length == 0 || !isOfflineCommand(args)) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (!args[0].equals("render") && !args[0].equals("validate")) {
            out.println(USAGE_TEXT);
            return OK;
        }
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if ((args[i].equals("-f") || args[i].equals("--filename")) && i + 1 < args.length) {
                files.add(Path.of(args[++i]));
            } else if (args[i].startsWith("--filename=")) {
                files.add(Path.of(args[i].substring("--filename=".length())));
            } else {
                err.println(args[0] + ": unexpected argument '" + args[i] + "'");
                err.println(USAGE_TEXT);
                return USAGE;
            }
        }
        if (files.isEmpty()) {
            err.println(args[0] + ": at least one -f <file or dir> is required");
            err.println(USAGE_TEXT);
            return USAGE;
        }
        Manifests.Result input = Manifests.read(files);
        List<String> errors = new ArrayList<>(input.errors());
        List<String> warnings = new ArrayList<>(input.warnings());
        // Admit the set as a cluster would: environments first, then plans, then apps, in the order given
        // (kubectl apply's order), each checked against what was admitted before it.
        OperatorSettings settings = OperatorSettings.defaults();
        AdmittedSet admitted = new AdmittedSet();
        List<Manifests.Entry> ordered = new ArrayList<>(input.entries());
        ordered.sort(java.util.Comparator.comparing(
                e -> e.resource() instanceof AppServiceEnvironment ? 0 : e.resource() instanceof IsolatedPlan ? 1 : 2));
        for (Manifests.Entry entry : ordered) {
            List<Violation> violations = AdmissionRules.check(entry.resource(), null, admitted, settings.network());
            for (Violation v : violations) {
                (v.warning() ? warnings : errors).add(entry.where() + ": " + v.describe());
            }
            if (violations.stream().allMatch(Violation::warning)) {
                admitted.add(entry.resource());
            }
        }
        // validate runs render's pass too, so both name the same apps that would not run, and fail alike.
        List<HasMetadata> objects = List.of();
        if (errors.isEmpty()) {
            try {
                objects = DesiredObjects.of(input.environments(), input.plans(), input.apps(), settings, warnings::add);
            } catch (IllegalStateException e) {
                errors.add(e.getMessage());
            }
        }
        warnings.forEach(w -> err.println("warning: " + Quoted.escaped(w)));
        errors.forEach(e -> err.println("error: " + Quoted.escaped(e)));
        if (!errors.isEmpty()) {
            err.println(args[0] + ": " + errors.size() + " problem(s) found"
                    + (args[0].equals("render") ? "; nothing rendered" : ""));
            return INVALID_INPUT;
        }
        if (args[0].equals("validate")) {
            err.println("validate: " + input.entries().size() + " resource(s) valid"
                    + (warnings.isEmpty() ? "" : ", " + warnings.size() + " warning(s)"));
            return OK;
        }
        try {
            YamlDocuments.write(objects, out);
        } catch (IOException e) {
            err.println("render: cannot write the output: " + e.getMessage());
            return INVALID_INPUT;
        }
        return OK;
    }
}
