//! Landmark industrial chains and their stages (Gao 2021: pre-production, production,
//! circulation, post-production; upstream / midstream / downstream positions; core
//! components and key equipment). A stage names the stages it draws inputs from and
//! whether each input is essential, so the stage graph of a chain is a DAG.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Segment {
    PreProduction,
    Production,
    Circulation,
    PostProduction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Upstream,
    Midstream,
    Downstream,
}

crate::vocabulary::vocabulary!(Segment {
    PreProduction => ("pre-production", "pre-production", "产前", crate::vocabulary::QUALITATIVE[1]),
    Production => ("production", "production", "产中", crate::vocabulary::QUALITATIVE[4]),
    Circulation => ("circulation", "circulation", "流通", crate::vocabulary::QUALITATIVE[0]),
    PostProduction => ("post-production", "post-production", "产后", crate::vocabulary::QUALITATIVE[2]),
});
crate::vocabulary::vocabulary!(Position {
    Upstream => ("upstream", "upstream", "上游", crate::vocabulary::QUALITATIVE[1]),
    Midstream => ("midstream", "midstream", "中游", crate::vocabulary::QUALITATIVE[4]),
    Downstream => ("downstream", "downstream", "下游", crate::vocabulary::QUALITATIVE[2]),
});

/// An input a stage draws from another stage of the same chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageInput {
    pub stage: String,
    /// Production stops without it (AND across essential inputs, OR across suppliers).
    pub essential: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    /// Unique within its chain.
    pub id: String,
    pub name: String,
    pub segment: Segment,
    pub position: Position,
    /// Core components or key equipment of the chain.
    pub core: bool,
    /// The IO sector the stage belongs to, if known.
    pub sector: Option<String>,
    pub inputs: Vec<StageInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chain {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// In chain order, upstream first.
    pub stages: Vec<Stage>,
}

impl Chain {
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// Stages in an order where every stage comes after its inputs, or the stages on a
    /// cycle when there is none (Kahn's algorithm).
    pub fn topological_order(&self) -> Result<Vec<usize>, Vec<usize>> {
        let n = self.stages.len();
        let index = |id: &str| self.stages.iter().position(|s| s.id == id);
        let mut indegree = vec![0usize; n];
        let mut consumers: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (j, s) in self.stages.iter().enumerate() {
            for input in &s.inputs {
                if let Some(i) = index(&input.stage) {
                    indegree[j] += 1;
                    consumers[i].push(j);
                }
            }
        }
        let mut ready: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(i) = ready.pop() {
            order.push(i);
            for &j in &consumers[i] {
                indegree[j] -= 1;
                if indegree[j] == 0 {
                    ready.push(j);
                }
            }
        }
        if order.len() == n {
            Ok(order)
        } else {
            Err((0..n).filter(|&i| indegree[i] > 0).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(id: &str, inputs: &[&str]) -> Stage {
        Stage {
            id: id.into(),
            name: id.into(),
            segment: Segment::Production,
            position: Position::Midstream,
            core: false,
            sector: None,
            inputs: inputs
                .iter()
                .map(|s| StageInput {
                    stage: (*s).into(),
                    essential: true,
                })
                .collect(),
        }
    }

    #[test]
    fn orders_inputs_first_and_finds_cycles() {
        let chain = Chain {
            id: "c".into(),
            name: "c".into(),
            description: None,
            stages: vec![
                stage("cable", &["fibre"]),
                stage("fibre", &["preform"]),
                stage("preform", &[]),
            ],
        };
        assert_eq!(chain.topological_order().unwrap(), vec![2, 1, 0]);

        let cyclic = Chain {
            stages: vec![
                stage("a", &["c"]),
                stage("b", &["a"]),
                stage("c", &["b"]),
                stage("d", &[]),
            ],
            ..chain
        };
        assert_eq!(cyclic.topological_order().unwrap_err(), vec![0, 1, 2]);
    }
}
