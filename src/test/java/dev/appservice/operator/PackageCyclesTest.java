package dev.appservice.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the operator's main code depend on each other, directly or through others:
 * the packages form layers (api and config at the bottom; model, the shared vocabulary; network;
 * desired, the pure functions building children; validation; then the webhook, the reconcilers and
 * the CLI), so each can be read, tested and changed knowing only those below it.
 *
 * <p>A dependency of one class on another is taken from two sources, so that neither's blind spot
 * hides a cycle: the compiled classes, read by {@code jdeps} (every reference the bytecode keeps,
 * whatever the source wrote), and the sources' imports and fully qualified names (which also see a
 * compile-time constant, which the compiler copies into the class that reads it).
 */
class PackageCyclesTest {
    private static final String ROOT = "dev.appservice.operator";
    private static final Path CLASSES = Path.of("target", "classes");
    private static final Path SOURCES = Path.of("src", "main", "java");

    /** A class-to-class dependency of jdeps' {@code -verbose:class} output: {@code   a.B   -> c.D   where}. */
    private static final Pattern JDEPS_EDGE =
            Pattern.compile("^\\s+(" + Pattern.quote(ROOT) + "\\.\\S+)\\s+->\\s+(" + Pattern.quote(ROOT) + "\\.\\S+)");

    /** A reference in source: an import (static or not, a wildcard too) or a qualified name in code. */
    private static final Pattern SOURCE_REFERENCE =
            Pattern.compile("\\b" + Pattern.quote(ROOT) + "((?:\\.[a-z_][a-z0-9_]*)+)\\.([A-Z][A-Za-z0-9_]*|\\*)");

    @Test
    void mainPackagesHaveNoCycle() throws IOException {
        // package -> package it depends on -> the class dependencies that make it so
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        compiledDependencies(graph);
        sourceDependencies(graph);
        assertThat(graph)
                .as("packages found in %s and %s", CLASSES, SOURCES)
                .containsKeys("api", "model", "desired", "validation", "admission", "webapp");

        List<String> cycles = stronglyConnected(graph).stream()
                .filter(component -> component.size() > 1)
                .map(component -> describe(component, graph))
                .toList();
        assertThat(cycles)
                .as("package cycles among %s.*: move the class that points the wrong way to where it belongs", ROOT)
                .isEmpty();
    }

    /** Classes as compiled: {@code jdeps -verbose:class -filter:none}, kept to the operator's own classes. */
    private static void compiledDependencies(Map<String, Map<String, Set<String>>> graph) {
        assertThat(CLASSES.resolve(ROOT.replace('.', '/')))
                .as("compiled main classes")
                .isDirectory();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new AssertionError("jdeps is not in this JDK (run the tests with a full JDK)"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.run(
                new PrintWriter(out),
                new PrintWriter(err),
                "-verbose:class",
                "-filter:none",
                "-e",
                Pattern.quote(ROOT) + "\\..*",
                CLASSES.toString());
        assertThat(exit).as("jdeps exit status; stderr: %s", err).isZero();
        int edges = 0;
        for (String line : out.toString().lines().toList()) {
            Matcher m = JDEPS_EDGE.matcher(line);
            if (m.find()) {
                edges++;
                add(
                        graph,
                        packageOf(m.group(1)),
                        packageOf(m.group(2)),
                        simpleName(m.group(1)) + " -> " + simpleName(m.group(2)));
            }
        }
        assertThat(edges)
                .as("class dependencies jdeps reported; its output: %s", out)
                .isPositive();
    }

    /** Sources: every import and qualified name of another package of the operator, outside comments and strings. */
    private static void sourceDependencies(Map<String, Map<String, Set<String>>> graph) throws IOException {
        Path root = SOURCES.resolve(ROOT.replace('.', '/'));
        assertThat(root).as("main sources").isDirectory();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String from = packageOf(ROOT + "."
                    + root.relativize(file).toString().replace('/', '.').replace(".java", ""));
            String className = file.getFileName().toString().replace(".java", "");
            Matcher m = SOURCE_REFERENCE.matcher(code(Files.readString(file)));
            while (m.find()) {
                add(graph, from, m.group(1).substring(1), className + " -> " + m.group(2));
            }
        }
    }

    private static void add(Map<String, Map<String, Set<String>>> graph, String from, String to, String because) {
        graph.computeIfAbsent(to, p -> new TreeMap<>());
        Map<String, Set<String>> dependencies = graph.computeIfAbsent(from, p -> new TreeMap<>());
        if (!from.equals(to)) {
            dependencies.computeIfAbsent(to, p -> new TreeSet<>()).add(because);
        }
    }

    /** The package below the root: {@code dev.appservice.operator.model.Quoted$1} is {@code model}. */
    private static String packageOf(String className) {
        String relative = className.substring(ROOT.length() + 1);
        int dot = relative.lastIndexOf('.');
        return dot < 0 ? "" : relative.substring(0, dot);
    }

    /** The top-level class's simple name: {@code dev.appservice.operator.model.Quoted$1} is {@code Quoted}. */
    private static String simpleName(String className) {
        String name = className.substring(className.lastIndexOf('.') + 1);
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }

    /**
     * The source without its comments and the contents of its string and character literals (text
     * blocks too), so prose naming a class is not taken for a dependency. Line structure is kept.
     */
    static String code(String source) {
        StringBuilder sb = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                sb.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                i = end < 0 ? n : end + 3;
                sb.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                sb.append(c).append(c);
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    /** Tarjan's strongly connected components, each sorted; a component of two or more packages is a cycle. */
    private static List<List<String>> stronglyConnected(Map<String, Map<String, Set<String>>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> components = new ArrayList<>();
        for (String start : graph.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, graph, index, low, stack, onStack, components);
            }
        }
        return components;
    }

    private static void connect(
            String v,
            Map<String, Map<String, Set<String>>> graph,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            Set<String> onStack,
            List<List<String>> components) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, components);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            TreeSet<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(List.copyOf(component));
        }
    }

    /**
     * A component's shortest cycles (one through each of its packages), each dependency with the
     * classes behind it: among them is the one that points the wrong way.
     */
    private static String describe(List<String> component, Map<String, Map<String, Set<String>>> graph) {
        Set<String> cycles = new TreeSet<>();
        for (String start : component) {
            List<String> cycle = shortestCycle(start, component, graph);
            int first = cycle.indexOf(cycle.stream().min(String::compareTo).orElseThrow());
            List<String> rotated = new ArrayList<>(cycle.subList(first, cycle.size()));
            rotated.addAll(cycle.subList(0, first));
            StringBuilder sb = new StringBuilder(String.join(" -> ", rotated) + " -> " + rotated.get(0));
            for (int i = 0; i < rotated.size(); i++) {
                String from = rotated.get(i);
                String to = rotated.get((i + 1) % rotated.size());
                sb.append("\n    ").append(from).append(" -> ").append(to).append(": ");
                sb.append(graph.get(from).get(to));
            }
            cycles.add(sb.toString());
        }
        return "packages " + component + " depend on each other:\n  " + String.join("\n  ", cycles);
    }

    /** The packages of a shortest cycle from {@code start} back to it, within the component (breadth first). */
    private static List<String> shortestCycle(
            String start, List<String> component, Map<String, Map<String, Set<String>>> graph) {
        Map<String, String> previous = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String v = queue.poll();
            for (String w : graph.get(v).keySet()) {
                if (!component.contains(w) || previous.containsKey(w)) {
                    continue;
                }
                previous.put(w, v);
                if (w.equals(start)) {
                    List<String> cycle = new ArrayList<>();
                    for (String p = v; !p.equals(start); p = previous.get(p)) {
                        cycle.add(0, p);
                    }
                    cycle.add(0, start);
                    return cycle;
                }
                queue.add(w);
            }
        }
        throw new IllegalStateException(start + " is on no cycle of " + component);
    }
}
