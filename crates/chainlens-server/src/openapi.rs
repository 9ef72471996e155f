//! The OpenAPI 3.1 document of the API (`GET /api/openapi.json`), written out by hand
//! from one table of operations (a derive macro would cost more compile time than the
//! whole server). A test checks that its paths are exactly the router's
//! ([`crate::api::routes`]) and the integration tests call every documented operation.

use serde_json::{Map, Value, json};

/// One operation: method, path, the least role that may call it (None: no token needed),
/// summary, query parameters (name, description), the success status and its media type.
struct Op {
    method: &'static str,
    path: &'static str,
    role: Option<&'static str>,
    summary: &'static str,
    query: &'static [(&'static str, &'static str)],
    status: &'static str,
    media: &'static str,
}

const PAGE: [(&str, &str); 2] = [
    ("offset", "items to skip (default 0)"),
    ("limit", "items per page, 1 to 1000 (default 100)"),
];
const LANG: [(&str, &str); 1] = [("lang", "en (default) or zh")];
const JSON: &str = "application/json";

const OPS: &[Op] = &[
    Op {
        method: "get",
        path: "/api/health",
        role: None,
        summary: "Liveness: {\"status\":\"ok\",\"version\"}",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/openapi.json",
        role: Some("viewer"),
        summary: "This document",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/me",
        role: Some("viewer"),
        summary: "The token's workspace, role and holder: {\"workspace\",\"role\",\"name\"}",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/overview",
        role: Some("viewer"),
        summary: "Workspace, counts, last import, analysis statuses, unresolved alerts by level, latest grades",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/chains",
        role: Some("viewer"),
        summary: "The chains with their stages",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/chains/{chain}",
        role: Some("viewer"),
        summary: "A chain's supply-network report (as `chainlens network --format json`)",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/chains/{chain}/map.svg",
        role: Some("viewer"),
        summary: "The chain map (stages by region lanes)",
        query: &LANG,
        status: "200",
        media: "image/svg+xml",
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/enterprises",
        role: Some("viewer"),
        summary: "Enterprises, paginated {\"items\",\"total\",\"offset\",\"limit\"}; filter by chain or region",
        query: &[
            PAGE[0],
            PAGE[1],
            ("chain", "chain id"),
            ("region", "region id"),
        ],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/linkage",
        role: Some("viewer"),
        summary: "Input-output linkage report (409 if the analysis did not run)",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/resilience",
        role: Some("viewer"),
        summary: "Resilience index: scores per region and year, dimensions, grades, trends (409 if not run)",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/resilience/radar.svg",
        role: Some("viewer"),
        summary: "Radar chart of the three dimensions, latest year",
        query: &LANG,
        status: "200",
        media: "image/svg+xml",
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/risks",
        role: Some("viewer"),
        summary: "The risk register graded: {\"assessments\",\"matrix\"} (409 if empty)",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/alerts",
        role: Some("viewer"),
        summary: "Alerts with their history, paginated",
        query: &[
            PAGE[0],
            PAGE[1],
            (
                "status",
                "open, acknowledged, escalated, resolved or unresolved",
            ),
            ("level", "1 (most urgent) to 4"),
        ],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/alerts/{id}",
        role: Some("viewer"),
        summary: "One alert with its history",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "post",
        path: "/api/workspaces/{ws}/alerts/{id}/ack",
        role: Some("analyst"),
        summary: "Acknowledge, by the token's holder; body {\"note\"} optional; 409 if not open or escalated",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "post",
        path: "/api/workspaces/{ws}/alerts/{id}/resolve",
        role: Some("analyst"),
        summary: "Resolve, by the token's holder; body {\"note\"} optional; 409 if already resolved",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "post",
        path: "/api/workspaces/{ws}/warn",
        role: Some("analyst"),
        summary: "Evaluate the rules again (as `chainlens warn`): {\"raised\",\"updated\",\"not_firing\",\"skipped\",\"unresolved\"}",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/scenarios",
        role: Some("viewer"),
        summary: "Configured scenarios: [{\"name\",\"kind\",\"description\"}]",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "post",
        path: "/api/workspaces/{ws}/scenarios/{name}/runs",
        role: Some("analyst"),
        summary: "Queue a run: 202 {\"run\",\"status\":\"queued\"}; 429 with Retry-After when the workspace's or the server's run queue is full",
        query: &[],
        status: "202",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/runs/{id}",
        role: Some("viewer"),
        summary: "A run: {\"run\",\"scenario\",\"status\":queued|running|done|failed|cancelled,\"progress\",\"step\",\"queued_at\",\"started_at\",\"finished_at\",\"error\"?,\"result\"?}",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "delete",
        path: "/api/workspaces/{ws}/runs/{id}",
        role: Some("analyst"),
        summary: "Cancel a run: a queued one leaves the queue, a running one's result is discarded; 200 with the run, 409 if it had finished",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/report",
        role: Some("viewer"),
        summary: "The self-contained HTML report",
        query: &LANG,
        status: "200",
        media: "text/html",
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/report.xlsx",
        role: Some("viewer"),
        summary: "The report's workbook",
        query: &LANG,
        status: "200",
        media: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
    Op {
        method: "put",
        path: "/api/workspaces/{ws}/data/{file}",
        role: Some("admin"),
        summary: "Replace a data file (by file name or table name) and import; 400 {\"error\",\"problems\"} as `chainlens import` prints them, nothing changed; at most 32 MiB",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "get",
        path: "/api/workspaces/{ws}/tokens",
        role: Some("admin"),
        summary: "Tokens (never their secrets)",
        query: &[],
        status: "200",
        media: JSON,
    },
    Op {
        method: "post",
        path: "/api/workspaces/{ws}/tokens",
        role: Some("admin"),
        summary: "Create a token: body {\"role\",\"name\"}; 201 with the secret under \"token\", shown once",
        query: &[],
        status: "201",
        media: JSON,
    },
    Op {
        method: "delete",
        path: "/api/workspaces/{ws}/tokens/{id}",
        role: Some("admin"),
        summary: "Revoke a token",
        query: &[],
        status: "200",
        media: JSON,
    },
];

fn path_params(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.split_once('}')))
        .map(|(name, _)| {
            json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
        })
        .collect()
}

/// The document.
pub fn document() -> Value {
    let error = json!({"description": "error", "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let mut paths = Map::new();
    for op in OPS {
        let mut params = path_params(op.path);
        params.extend(op.query.iter().map(|(name, description)| {
            json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": "string"}})
        }));
        let mut responses = Map::new();
        responses.insert(
            op.status.into(),
            json!({"description": "success", "content": {op.media: {}}}),
        );
        let mut operation = json!({"summary": op.summary, "parameters": params});
        match op.role {
            None => operation["security"] = json!([]),
            Some(role) => {
                operation["description"] = json!(format!(
                    "Role `{role}` or higher. A workspace the token is not for answers 404."
                ));
                operation["x-role"] = json!(role);
                for code in ["401", "403", "404"] {
                    responses.insert(code.into(), error.clone());
                }
            }
        }
        if op.status == "202" {
            responses.insert("429".into(), error.clone());
        }
        if op.method != "get" {
            for code in ["400", "409", "413"] {
                responses.insert(code.into(), error.clone());
            }
        }
        operation["responses"] = Value::Object(responses);
        let entry = paths
            .entry(op.path)
            .or_insert_with(|| Value::Object(Map::new()));
        entry[op.method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "ChainLens API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Regional industrial-chain analysis and early warning. Send `Authorization: Bearer <token>` (from `chainlens token create`); JSON keys are snake_case and stable.",
        },
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {"type": "string"},
                    "problems": {"type": "array", "items": {"type": "string"}, "description": "file:row:column: field: reason, as the CLI prints them"},
                },
            }},
        },
        "paths": paths,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn documents_exactly_the_routes_of_the_router() {
        let documented: BTreeSet<String> = document()["paths"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let routed: BTreeSet<String> = crate::api::routes(0)
            .into_iter()
            .map(|(p, _)| p.to_owned())
            .collect();
        assert_eq!(documented, routed);
    }
}
