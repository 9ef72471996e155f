//! Times the graph screens for the side-by-side comparison with networkx
//! (tests/reference/compare_networkx.py), and writes the synthetic networks it uses.
//!
//!     network_timing synthetic FIRMS LINKS SEED OUT_DIR   write nodes.csv / edges.csv
//!     network_timing time NODES.csv EDGES.csv [CHAIN]     JSON timings (seconds) on stdout
//!     network_timing scale FIRMS LINKS                    JSON timings of an in-memory network
//!
//! CSV columns: nodes `id` (or `node_id`, or `stage` with a `chain` column, filtered by
//! CHAIN), edges `src,dst` (and `chain`).

use chainlens_network::synthetic::tiered_links;
use chainlens_network::{
    NetworkBuilder, NodeAttrs, SupplyNetwork, articulation_points, dominators, post_dominators,
    supplier_concentration,
};
use std::io::Write;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("synthetic") if args.len() == 5 => {
            let (firms, links, seed): (u32, usize, u64) = (
                args[1].parse().unwrap(),
                args[2].parse().unwrap(),
                args[3].parse().unwrap(),
            );
            let dir = std::path::Path::new(&args[4]);
            std::fs::create_dir_all(dir).unwrap();
            let mut nodes =
                std::io::BufWriter::new(std::fs::File::create(dir.join("nodes.csv")).unwrap());
            writeln!(nodes, "id").unwrap();
            for i in 0..firms {
                writeln!(nodes, "{i}").unwrap();
            }
            let mut edges =
                std::io::BufWriter::new(std::fs::File::create(dir.join("edges.csv")).unwrap());
            writeln!(edges, "src,dst").unwrap();
            let mut seen = std::collections::HashSet::new();
            for (s, d) in tiered_links(firms, links, 12, seed) {
                if seen.insert((s, d)) {
                    writeln!(edges, "{s},{d}").unwrap();
                }
            }
        }
        Some("time") if args.len() >= 3 => {
            let net = read(&args[1], &args[2], args.get(3).map(String::as_str));
            time(&net);
        }
        Some("scale") if args.len() == 3 => {
            let t = Instant::now();
            let firms: u32 = args[1].parse().unwrap();
            let net = SupplyNetwork::from_index_edges(
                firms as usize,
                &tiered_links(firms, args[2].parse().unwrap(), 12, 1),
            )
            .unwrap();
            eprintln!(
                "built {} firms, {} links in {:.2} s",
                net.node_count(),
                net.edge_count(),
                t.elapsed().as_secs_f64()
            );
            time(&net);
        }
        _ => {
            eprintln!(
                "usage: network_timing synthetic FIRMS LINKS SEED DIR | time NODES EDGES [CHAIN] | scale FIRMS LINKS"
            );
            std::process::exit(2);
        }
    }
}

fn time(net: &SupplyNetwork) {
    let t = Instant::now();
    let d = dominators(net);
    let dominators_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let p = post_dominators(net);
    let post_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let a = articulation_points(net);
    let articulation_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let c = supplier_concentration(net);
    let concentration_s = t.elapsed().as_secs_f64();
    std::hint::black_box((d, p, a, c));
    println!(
        "{{\"nodes\":{},\"edges\":{},\"dominators\":{dominators_s},\"post_dominators\":{post_s},\"articulation\":{articulation_s},\"concentration\":{concentration_s}}}",
        net.node_count(),
        net.edge_count()
    );
}

fn read(nodes: &str, edges: &str, chain: Option<&str>) -> SupplyNetwork {
    let mut b = NetworkBuilder::new();
    let mut r = csv::Reader::from_path(nodes).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |h: &csv::StringRecord, names: &[&str]| {
        names.iter().find_map(|n| {
            h.iter()
                .position(|c| c.trim_start_matches('\u{feff}') == *n)
        })
    };
    let id = col(&h, &["id", "node_id", "stage"]).expect("an id column");
    let chain_col = col(&h, &["chain"]);
    let mut seen = std::collections::HashSet::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        if chain.is_some_and(|c| chain_col.is_some_and(|k| &rec[k] != c)) {
            continue;
        }
        if seen.insert(rec[id].to_owned()) {
            b.add_node(&rec[id], NodeAttrs::default()).unwrap();
        }
    }
    let mut r = csv::Reader::from_path(edges).unwrap();
    let h = r.headers().unwrap().clone();
    let (s, d) = (col(&h, &["src"]).unwrap(), col(&h, &["dst"]).unwrap());
    let chain_col = col(&h, &["chain"]);
    for rec in r.records() {
        let rec = rec.unwrap();
        if chain.is_some_and(|c| chain_col.is_some_and(|k| &rec[k] != c)) {
            continue;
        }
        b.add_edge(&rec[s], &rec[d], Default::default()).unwrap();
    }
    b.build().unwrap().0
}
