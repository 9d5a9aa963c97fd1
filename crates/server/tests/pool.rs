//! The database pool under slow reads: a read held open delays nobody while another reader is
//! free.

mod common;

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::get;
use axum::Router;
use common::test_app_with;
use kappa_server::ApiContext;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Issue #19: `Db::read` handed out readers in strict rotation and waited on the one it picked,
/// so one slow read stalled every fourth request (session checks and `/api/health` included)
/// while the other readers sat idle. Here three reads hold their connections until the test
/// lets them go; every other request must still be answered meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
// The gate is held across awaits on purpose: it is what keeps the reads open.
#[allow(clippy::await_holding_lock)]
async fn reads_held_open_stall_no_other_request() {
    let gate = Arc::new(RwLock::new(()));
    let held = gate.clone();
    let hold = Router::new().route(
        "/hold",
        get(move |State(ctx): State<ApiContext>| {
            let gate = held.clone();
            async move {
                ctx.db
                    .view(move |_| {
                        // Blocks while the test holds the gate shut.
                        drop(gate.read().unwrap());
                        Ok("released")
                    })
                    .await
            }
        }),
    );
    let t = Arc::new(test_app_with(|_| {}, hold));
    let cookie = t.login("reviewer1").await;
    let shut = gate.write().unwrap();
    let holders: Vec<_> = (0..3)
        .map(|_| {
            let t = t.clone();
            tokio::spawn(async move { t.send(Method::GET, "/api/hold", None, None).await })
        })
        .collect();
    // Give the holders time to take their readers (if they could not, the test proves less,
    // never more: it cannot pass by luck).
    tokio::time::sleep(Duration::from_millis(300)).await;
    for i in 0..24 {
        let uri = if i % 2 == 0 {
            "/api/health"
        } else {
            "/api/calls?page_size=5"
        };
        let answered = tokio::time::timeout(Duration::from_secs(20), t.get(uri, &cookie)).await;
        let res =
            answered.unwrap_or_else(|_| panic!("request {i} ({uri}) waited on a held reader"));
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    }
    drop(shut);
    for h in holders {
        let res = h.await.unwrap();
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    }
}
