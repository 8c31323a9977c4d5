package dev.appservice.operator.network;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/**
 * The address space cut by every CIDR that matters (rule prefixes, the virtual network, the load
 * balancer's and the pods' CIDRs), as a tree: CIDRs are nested or disjoint, so each one's parent
 * is the smallest CIDR containing it, under the roots 0.0.0.0/0 and ::/0. A node's own region (the
 * node less its children) is where every rule's address match is constant, so one decision per
 * node decides the whole address space, and the allowed set is written back as a few ipBlocks
 * with excepts, never more than one entry per node.
 */
final class AddressTree {
    final List<Cidr> nodes;
    final int[] parent;
    final List<List<Integer>> children;

    AddressTree(List<Cidr> cidrs) {
        TreeSet<Cidr> unique = new TreeSet<>(Cidr.TREE_ORDER);
        unique.add(Cidr.ALL_IPV4);
        unique.add(Cidr.ALL_IPV6);
        unique.addAll(cidrs);
        this.nodes = List.copyOf(unique);
        this.parent = new int[nodes.size()];
        this.children = new ArrayList<>();
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            children.add(new ArrayList<>());
            Cidr node = nodes.get(i);
            while (!open.isEmpty() && !nodes.get(open.peek()).contains(node)) {
                open.pop();
            }
            parent[i] = open.isEmpty() ? -1 : open.peek();
            if (parent[i] >= 0) {
                children.get(parent[i]).add(i);
            }
            open.push(i);
            textLengths.put(node, node.toString().length());
        }
    }

    /** The length of a node's CIDR text, computed once per node (the size estimate asks it for every peer). */
    int textLength(Cidr node) {
        Integer length = textLengths.get(node);
        return length != null ? length : node.toString().length();
    }

    private final java.util.IdentityHashMap<Cidr, Integer> textLengths = new java.util.IdentityHashMap<>();

    int size() {
        return nodes.size();
    }

    int indexOf(Cidr cidr) {
        int i = java.util.Collections.binarySearch(nodes, cidr, Cidr.TREE_ORDER);
        if (i < 0) {
            throw new IllegalArgumentException("not a node: " + cidr);
        }
        return i;
    }

    /** Nodes are sorted parents first, so a pass in index order sees every parent before its children. */
    boolean isAncestorOrSelf(int ancestor, int node) {
        for (int n = node; n >= 0; n = parent[n]) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }

    /** An ipBlock: a CIDR less some CIDRs inside it. */
    record Block(Cidr cidr, List<Cidr> except) {}

    /**
     * The allowed own regions as blocks: one per allowed node whose parent is not allowed, except
     * the not-allowed regions below it (whose allowed descendants start blocks of their own).
     */
    List<Block> blocks(boolean[] allowed) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (allowed[i] && (parent[i] < 0 || !allowed[parent[i]])) {
                List<Cidr> except = new ArrayList<>();
                collectExcepts(i, allowed, except);
                blocks.add(new Block(nodes.get(i), except));
            }
        }
        return blocks;
    }

    private void collectExcepts(int node, boolean[] allowed, List<Cidr> except) {
        for (int child : children.get(node)) {
            if (allowed[child]) {
                collectExcepts(child, allowed, except);
            } else {
                except.add(nodes.get(child));
            }
        }
    }
}
