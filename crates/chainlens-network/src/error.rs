//! Errors of the network crate. Every variant names the offending record (node, edge or
//! liability row, 0-based in input order) so that a reader can map it to `file:row`.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("node {node}: duplicate id `{id}`")]
    DuplicateNode { node: usize, id: String },
    #[error("edge {edge}: unknown {side} node `{id}`")]
    UnknownNode {
        edge: usize,
        side: &'static str,
        id: String,
    },
    #[error("edge {edge}: `{id}` supplies itself")]
    SelfLoop { edge: usize, id: String },
    #[error("{what} {record}: {field} = {value} is negative or not finite")]
    BadValue {
        what: &'static str,
        record: usize,
        field: &'static str,
        value: f64,
    },
    #[error("the network has {edges} edges; at most {max} fit the compact u32 layout")]
    TooLarge { edges: usize, max: usize },
    #[error("unknown chain `{0}`")]
    UnknownChain(String),
    #[error("chain `{chain}` has no stage `{stage}`")]
    UnknownStage { chain: String, stage: String },
    #[error("unknown region `{0}`")]
    UnknownRegion(String),
    #[error("unknown enterprise `{0}`")]
    UnknownEnterprise(String),
    #[error("liabilities row {row} (`{id}`): a firm cannot owe itself ({value})")]
    NonZeroDiagonal { row: usize, id: String, value: f64 },
    #[error("{key} = {value}: {reason}")]
    BadSetting {
        key: &'static str,
        value: f64,
        reason: &'static str,
    },
    #[error("liabilities: {rows} rows but {assets} external asset values")]
    ShapeMismatch { rows: usize, assets: usize },
}
