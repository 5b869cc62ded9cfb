"""Benchmark of the network analysis (issue 19: 50,000 cases in under 30 s).

For each size (10,000 and 50,000 generated cases by default, stores made once by
``bench/data.py``): the time to read the three graphs from the on-disk store, the time of
the metrics (igraph's betweenness and Louvain, networkx's degree and components), and
their sum against the 30 s target. Up to --reference-up-to cases, the same metrics by
networkx alone (the design before: ``betweenness_centrality(k=100, seed=1)``,
``louvain_communities(seed=1)``) in the same run: their time, the ratio, the largest
difference between the two betweenness values of a node, and the modularity of both
partitions (measured by networkx).

    .venv/bin/python bench/network.py [--sizes 10000,50000] [--reference-up-to 10000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import store_with  # a module beside this one (bench/ is not a package)

TARGET = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--reference-up-to", type=int, default=10000)
    args = parser.parse_args()

    import networkx as nx

    from isgraph.query import network
    from isgraph.store import EmbeddedStore

    for cases in (int(s) for s in args.sizes.split(",")):
        print(f"== {cases} cases", flush=True)
        path = store_with(cases)
        with EmbeddedStore(path, create=False) as store:
            started = time.perf_counter()
            networks = network.build_networks(store, labels=False)  # as `isgraph network` without --output
            read = time.perf_counter() - started
        graphs = (
            ("actors–initiatives", networks.participation, None),
            ("co-participation", networks.co_participation, "weight"),
            ("initiatives–territories", networks.territories, None),
        )
        started = time.perf_counter()
        found = {name: m for (name, _, _), (_, m) in zip(graphs, network.all_metrics(networks), strict=True)}
        computed = time.perf_counter() - started
        total = read + computed
        print(f"   read the three graphs from disk: {read:.1f} s", flush=True)
        for name, graph, _ in graphs:
            print(f"     {name}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
        print(f"   metrics (igraph: betweenness in two processes, Louvain, degree, components): {computed:.1f} s")
        print(f"   network analysis: {total:.1f} s (target < {TARGET:.0f} s: ratio {total / TARGET:.2f})", flush=True)
        if cases > args.reference_up_to:
            continue
        started = time.perf_counter()
        for name, graph, weight in graphs:
            undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
            names = list(undirected)
            sampled = len(names) > network.EXACT_BETWEENNESS_UP_TO
            indexed = nx.betweenness_centrality(
                nx.convert_node_labels_to_integers(undirected), k=network.BETWEENNESS_SAMPLE if sampled else None, seed=1
            )
            reference = {names[i]: v for i, v in indexed.items()}
            communities = nx.community.louvain_communities(undirected, weight=weight, seed=1)
            ours = found[name]
            gap = max(abs(reference[n] - ours.betweenness[n]) for n in names)
            mine = nx.community.modularity(undirected, ours.communities, weight=weight)
            theirs = nx.community.modularity(undirected, communities, weight=weight)
            print(
                f"     {name}: betweenness largest difference {gap:.1e} (largest value {max(reference.values()):.3f}); "
                f"modularity igraph {mine:.4f}, networkx {theirs:.4f}; communities {len(ours.communities)} / {len(communities)}"
            )
        reference_seconds = time.perf_counter() - started
        print(
            f"   networkx alone, the same metrics: {reference_seconds:.1f} s; igraph's {computed:.1f} s "
            f"(ratio {computed / reference_seconds:.3f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
