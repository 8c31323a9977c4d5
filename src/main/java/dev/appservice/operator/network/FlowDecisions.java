package dev.appservice.operator.network;

import dev.appservice.operator.network.RuleTable.Prefix;
import dev.appservice.operator.network.RuleTable.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Azure's verdicts for one direction of an NSG, for every kind of peer at once: the eight classes
 * of pods (in a namespace of the virtual network or not, in the operator's namespace or not, a pod
 * of another App Service Environment or not) and the own region of every node of the address
 * tree. As on Azure, calls between environments are Internet calls: a pod of another environment
 * never matches {@code VirtualNetwork}, whatever its namespace, and does match {@code Internet}. For one protocol and port, each verdict is the
 * first rule in priority order that applies to the port and matches the peer.
 */
final class FlowDecisions {
    /**
     * Pod classes: bit 1 = namespace of the virtual network, bit 2 = the operator's namespace,
     * bit 4 = a pod of another environment (it carries the environment label).
     */
    static final int POD_CLASSES = 8;
    /** The classes of one kind of pod: the namespace dimensions only. */
    static final int NAMESPACE_CLASSES = 4;

    static final int VNET = 1;
    static final int MANAGEMENT = 2;
    static final int OTHER_ENVIRONMENT = 4;

    private final RuleTable table;
    private final AddressTree tree;
    private final boolean[] inVnet;
    private final boolean[] inLoadBalancer;
    private final boolean[] inPods;
    /** Nodes inside the trusted proxies: with the virtual network and load balancer, what reaches an ILB. */
    private final boolean[] inTrusted;
    /** Nodes inside a link-local metadata address: matched only by rules naming a CIDR, never by a tag or default. */
    private final boolean[] inMetadata;
    /** For each node, the ranks of the rules naming exactly that CIDR, in rank order. */
    private final List<List<Integer>> rulesNamingNode;
    /** The same, as arrays: what {@link #decide} reads for every node and port interval. */
    private final int[][] namingRanks;
    /** For each rule (by rank), the tags it names, as TAG_* bits. */
    private final int[] tagMask;
    /** The ranks of the rules that name any tag, in rank order: the only ones a tag match needs to look at. */
    private final int[] tagged;

    private static final int TAG_ANY = 1;
    private static final int TAG_VIRTUAL_NETWORK = 2;
    private static final int TAG_INTERNET = 4;
    private static final int TAG_AZURE_LOAD_BALANCER = 8;
    private static final int TAG_APP_SERVICE_MANAGEMENT = 16;

    FlowDecisions(RuleTable table, List<Cidr> vnet, List<Cidr> loadBalancer, List<Cidr> pods) {
        this(table, vnet, loadBalancer, pods, List.of(), List.of());
    }

    /**
     * With the trusted proxies told apart (what an Internal environment's front ends also accept)
     * and the link-local metadata addresses, which only a rule naming a CIDR that contains them
     * allows: tags and the default rules never match them, so they are denied unless explicitly
     * allowed.
     */
    FlowDecisions(
            RuleTable table,
            List<Cidr> vnet,
            List<Cidr> loadBalancer,
            List<Cidr> pods,
            List<Cidr> trusted,
            List<Cidr> metadata) {
        this.table = table;
        List<Cidr> all = new ArrayList<>(table.cidrs());
        all.addAll(vnet);
        all.addAll(loadBalancer);
        all.addAll(pods);
        all.addAll(trusted);
        all.addAll(metadata);
        this.tree = new AddressTree(all);
        int n = tree.size();
        this.inVnet = mark(vnet);
        this.inLoadBalancer = mark(loadBalancer);
        this.inPods = mark(pods);
        this.inTrusted = mark(trusted);
        this.inMetadata = mark(metadata);
        this.rulesNamingNode = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rulesNamingNode.add(new ArrayList<>());
        }
        Map<Cidr, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(tree.nodes.get(i), i);
        }
        this.tagMask = new int[table.rules.size()];
        for (Rule rule : table.rules) {
            for (Prefix p : rule.prefixes()) {
                if (p.tag() != null) {
                    tagMask[rule.rank()] |= switch (p.tag()) {
                        case RuleTable.ANY -> TAG_ANY;
                        case RuleTable.VIRTUAL_NETWORK -> TAG_VIRTUAL_NETWORK;
                        case RuleTable.INTERNET -> TAG_INTERNET;
                        case RuleTable.AZURE_LOAD_BALANCER -> TAG_AZURE_LOAD_BALANCER;
                        default -> TAG_APP_SERVICE_MANAGEMENT;
                    };
                }
            }
        }
        this.tagged = table.rules.stream()
                .mapToInt(Rule::rank)
                .filter(rank -> tagMask[rank] != 0)
                .toArray();
        for (Rule rule : table.rules) {
            for (Prefix p : rule.prefixes()) {
                if (p.cidr() != null) {
                    List<Integer> list = rulesNamingNode.get(index.get(p.cidr()));
                    if (list.isEmpty() || list.get(list.size() - 1) != rule.rank()) {
                        list.add(rule.rank());
                    }
                }
            }
        }
        this.namingRanks = rulesNamingNode.stream()
                .map(list -> list.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
    }

    /** Marks the nodes that lie inside any of the given CIDRs (nodes come parents first). */
    private boolean[] mark(List<Cidr> cidrs) {
        boolean[] marked = new boolean[tree.size()];
        java.util.Set<Cidr> set = new java.util.HashSet<>(cidrs);
        for (int i = 0; i < tree.size(); i++) {
            marked[i] = set.contains(tree.nodes.get(i)) || (tree.parent[i] >= 0 && marked[tree.parent[i]]);
        }
        return marked;
    }

    AddressTree tree() {
        return tree;
    }

    /** Whether the node's addresses can reach an internal load balancer: the virtual network, load balancer or trusted proxies. */
    boolean internallyReachable(int node) {
        return inVnet[node] || inLoadBalancer[node] || inTrusted[node];
    }

    /** The user rules (not the defaults) that name exactly this CIDR, in priority order. */
    List<Rule> rulesNaming(Cidr cidr) {
        int i = java.util.Collections.binarySearch(tree.nodes, cidr, Cidr.TREE_ORDER);
        if (i < 0) {
            return List.of();
        }
        return rulesNamingNode.get(i).stream()
                .map(table.rules::get)
                .filter(r -> !r.isDefault())
                .toList();
    }

    /** The verdicts for one protocol and port. */
    record Verdicts(Rule[] podClasses, Rule[] nodes) {
        boolean podAllowed(int podClass) {
            return podClasses[podClass].allow();
        }
    }

    Verdicts decide(String protocol, int port, boolean addressesOnlyOutsidePods) {
        List<Rule> rules = table.rules;
        boolean[] applies = new boolean[rules.size()];
        for (Rule r : rules) {
            applies[r.rank()] = r.applies(protocol, port);
        }
        return decide(applies, addressesOnlyOutsidePods);
    }

    /** The verdicts for a flow to which exactly the rules marked in {@code applies} (by rank) apply. */
    Verdicts decide(boolean[] applies, boolean addressesOnlyOutsidePods) {
        List<Rule> rules = table.rules;
        Rule[] pods = new Rule[POD_CLASSES];
        for (int c = 0; c < POD_CLASSES; c++) {
            pods[c] =
                    firstMatching(rules, applies, (c & VNET) != 0, (c & MANAGEMENT) != 0, (c & OTHER_ENVIRONMENT) != 0);
        }
        // The first applicable rule matching by tag, for each combination of (in vnet, in load balancer).
        Rule[][] byTag = new Rule[2][2];
        for (int v = 0; v < 2; v++) {
            for (int l = 0; l < 2; l++) {
                byTag[v][l] = firstTagMatchForAddress(rules, applies, v == 1, l == 1);
            }
        }
        Rule[] nodes = new Rule[tree.size()];
        int[] bestCidrRank = new int[tree.size()];
        for (int i = 0; i < tree.size(); i++) {
            int best = tree.parent[i] >= 0 ? bestCidrRank[tree.parent[i]] : Integer.MAX_VALUE;
            for (int rank : namingRanks[i]) {
                if (applies[rank]) {
                    best = Math.min(best, rank);
                    break;
                }
            }
            bestCidrRank[i] = best;
            Rule tag = byTag[inVnet[i] ? 1 : 0][inLoadBalancer[i] ? 1 : 0];
            Rule decided = best < Integer.MAX_VALUE && (tag == null || best < tag.rank()) ? rules.get(best) : tag;
            if (inMetadata[i]) {
                decided = best < Integer.MAX_VALUE ? rules.get(best) : null; // only an explicit CIDR decides
            }
            if (addressesOnlyOutsidePods && inPods[i]) {
                decided = null;
            }
            nodes[i] = decided;
        }
        return new Verdicts(pods, nodes);
    }

    /**
     * Azure's verdict for the app pods of another environment with fixed outbound addresses
     * ({@link FixedOutbound}), which it sees arrive from those addresses: for each address, the
     * first rule that applies and matches the pods by tag as any other environment's (Internet,
     * "*", AppServiceManagement in the operator's namespace) or names a CIDR that contains the
     * address. Admitted when every address is: the first address's denying rule, else the last
     * address's allowing one.
     */
    Rule fixedOutbound(String protocol, int port, List<Cidr> addresses, boolean management) {
        List<Rule> rules = table.rules;
        int tags = TAG_ANY | TAG_INTERNET | (management ? TAG_APP_SERVICE_MANAGEMENT : 0);
        Rule decided = null;
        for (Cidr address : addresses) {
            for (Rule rule : rules) {
                if (!rule.applies(protocol, port)) {
                    continue;
                }
                boolean matches = (tagMask[rule.rank()] & tags) != 0
                        || rule.prefixes().stream()
                                .anyMatch(p -> p.cidr() != null && p.cidr().contains(address));
                if (matches) {
                    if (!rule.allow()) {
                        return rule;
                    }
                    decided = rule;
                    break;
                }
            }
        }
        if (decided == null) {
            throw new IllegalStateException("the default DenyAll rule matches every flow");
        }
        return decided;
    }

    /**
     * The first rule, in priority order, that applies to the flow and names a pod of the class by
     * tag. A pod of another environment is an Internet peer, never a VirtualNetwork one.
     */
    private Rule firstMatching(
            List<Rule> rules, boolean[] applies, boolean vnet, boolean management, boolean otherEnvironment) {
        Rule rule = firstByTag(
                rules,
                applies,
                TAG_ANY
                        | (vnet && !otherEnvironment ? TAG_VIRTUAL_NETWORK : 0)
                        | (otherEnvironment ? TAG_INTERNET : 0)
                        | (management ? TAG_APP_SERVICE_MANAGEMENT : 0));
        if (rule == null) {
            throw new IllegalStateException("the default DenyAll rule matches every flow");
        }
        return rule;
    }

    /** The first rule that applies and names, by tag, an address inside or outside the vnet and load balancer. */
    private Rule firstTagMatchForAddress(List<Rule> rules, boolean[] applies, boolean vnet, boolean loadBalancer) {
        return firstByTag(
                rules,
                applies,
                TAG_ANY | (vnet ? TAG_VIRTUAL_NETWORK : TAG_INTERNET) | (loadBalancer ? TAG_AZURE_LOAD_BALANCER : 0));
    }

    private Rule firstByTag(List<Rule> rules, boolean[] applies, int tags) {
        for (int rank : tagged) {
            if (applies[rank] && (tagMask[rank] & tags) != 0) {
                return rules.get(rank);
            }
        }
        return null;
    }
}
