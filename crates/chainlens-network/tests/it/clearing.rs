//! Eisenberg–Noe clearing (fictitious default) against a separate, straightforward
//! Picard iteration p ← min(p̄, e + Πᵀp) from p̄, which converges monotonically down to the
//! greatest clearing vector (Eisenberg & Noe 2001, Lemma 4).

use chainlens_network::{ClearingProblem, clear};

fn picard(ids: usize, entries: &[(usize, usize, f64)], assets: &[f64]) -> Vec<f64> {
    let mut l = vec![vec![0.0; ids]; ids];
    for &(i, j, a) in entries {
        l[i][j] += a;
    }
    let pbar: Vec<f64> = l.iter().map(|r| r.iter().sum()).collect();
    let mut p = pbar.clone();
    for _ in 0..2_000_000 {
        let next: Vec<f64> = (0..ids)
            .map(|i| {
                let inflow: f64 = (0..ids)
                    .filter(|&j| pbar[j] > 0.0)
                    .map(|j| l[j][i] / pbar[j] * p[j])
                    .sum();
                pbar[i].min(assets[i] + inflow)
            })
            .collect();
        let change = next
            .iter()
            .zip(&p)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        p = next;
        if change < 1e-15 {
            break;
        }
    }
    p
}

fn run(
    names: &[&str],
    entries: &[(usize, usize, f64)],
    assets: &[f64],
) -> chainlens_network::Clearing {
    let rows: Vec<(usize, usize, usize, f64)> = entries
        .iter()
        .enumerate()
        .map(|(r, &(i, j, a))| (r, i, j, a))
        .collect();
    let problem = ClearingProblem::new(
        names.iter().map(|s| (*s).to_owned()).collect(),
        &rows,
        assets.to_vec(),
    )
    .unwrap();
    let c = clear(&problem);
    let reference = picard(names.len(), entries, assets);
    for (i, (a, b)) in c.payments.iter().zip(&reference).enumerate() {
        assert!(
            (a - b).abs() <= 1e-9,
            "{}: fictitious default {a} vs Picard {b}",
            names[i]
        );
    }
    c
}

#[test]
fn cable_supplier_with_overdue_receivables() {
    // Gao (2021): slow recovery of receivables at the cable supplier (Yuantong) upstream of
    // Futong. A distributor owes Futong 1,000 and has 400; Futong owes Yuantong 800 and has
    // 300; Yuantong owes copper 600 and PVC 250 and has 100.
    let names = ["distributor", "futong", "yuantong", "copper", "pvc"];
    let c = run(
        &names,
        &[(0, 1, 1000.0), (1, 2, 800.0), (2, 3, 600.0), (2, 4, 250.0)],
        &[400.0, 300.0, 100.0, 50.0, 20.0],
    );
    assert_eq!(c.defaults, vec![0, 1, 2]);
    assert_eq!(c.rounds, 3);
    // Futong and Yuantong would pay had their debtors paid: contagion.
    assert_eq!(c.contagion, vec![1, 2]);
    // Yuantong receives 700 + has 100 = 800 < 850: the smallest injection is 50.
    let y = c.injections.iter().find(|(i, _)| *i == 2).unwrap().1;
    assert!((y - 50.0).abs() < 1e-9);
    let f = c.injections.iter().find(|(i, _)| *i == 1).unwrap().1;
    assert!((f - 100.0).abs() < 1e-9);
}

#[test]
fn all_solvent() {
    let c = run(
        &["a", "b", "c"],
        &[(0, 1, 5.0), (1, 2, 5.0), (2, 0, 1.0)],
        &[10.0, 0.0, 0.0],
    );
    assert!(c.defaults.is_empty());
    assert_eq!(c.rounds, 0);
    assert_eq!(c.payments, c.obligations);
}

#[test]
fn zero_asset_cycle_returns_the_greatest_vector_with_a_note() {
    let c = run(
        &["a", "b", "c", "d"],
        &[(0, 1, 10.0), (1, 2, 10.0), (2, 0, 10.0), (3, 0, 4.0)],
        &[0.0, 0.0, 0.0, 1.0],
    );
    assert_eq!(c.payments, vec![10.0, 10.0, 10.0, 1.0]);
    assert_eq!(c.defaults, vec![3]);
    assert!(c.note.as_deref().unwrap().contains("{a, b, c}"));
}

#[test]
fn multi_round_default_wave() {
    // A ring of thin firms: each default pulls the next one under.
    let c = run(
        &["a", "b", "c", "d", "e"],
        &[
            (0, 1, 10.0),
            (1, 2, 10.0),
            (2, 3, 10.0),
            (3, 4, 10.0),
            (4, 0, 5.0),
        ],
        &[1.0, 3.0, 0.5, 0.2, 0.0],
    );
    assert_eq!(c.rounds, 4);
    assert_eq!(c.defaults, vec![0, 1, 2, 3]);
}

#[test]
fn random_dense_networks() {
    let mut rng = chainlens_model::rng::SplitMix64::new(42);
    for case in 0..20 {
        let n = 5 + case;
        let mut entries = Vec::new();
        for i in 0..n {
            for j in 0..n {
                if i != j && rng.below(3) == 0 {
                    entries.push((i, j, rng.below(1000) as f64 / 10.0));
                }
            }
        }
        let assets: Vec<f64> = (0..n).map(|_| rng.below(500) as f64 / 10.0).collect();
        let names: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        run(&names, &entries, &assets);
    }
}
