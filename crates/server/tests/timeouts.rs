//! The real server against clients that stall (loopback only, bounded in time): none may hold a
//! connection or a request open for ever.

mod common;

use common::server::{free_port, http, start_with};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// What the server sends before it closes the connection, read for at most `limit`; `None` if
/// the connection was still open then.
fn until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(String::from_utf8_lossy(&answer).into_owned()),
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(String::from_utf8_lossy(&answer).into_owned())
            }
            Err(_) => return None,
        }
    }
}

/// Issue #19: a connection that sent half its headers was still open after 45 s, and nothing
/// bounded a body that stopped arriving. Both are cut off now, and the server serves on.
#[test]
fn half_sent_headers_and_stalled_bodies_are_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let flags = ["--header-timeout-seconds", "1", "--body-idle-seconds", "1"];
    let mut server = start_with(dir.path(), port, true, &flags);

    let mut half_headers = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        half_headers,
        "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    )
    .unwrap();
    let answer = until_closed(&mut half_headers, Duration::from_secs(20));
    assert!(
        answer.is_some(),
        "a connection stalled in its headers stays open"
    );

    let mut stalled_body = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stalled_body,
        "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"username\":"
    )
    .unwrap();
    let answer = until_closed(&mut stalled_body, Duration::from_secs(20))
        .expect("a stalled body holds its request open");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"request_timeout\""), "{answer}");

    let (status, _, body) = http(port, "GET", "/api/health", None, None).unwrap();
    assert_eq!(status, 200, "{body}");
    server.kill().unwrap();
    server.wait().unwrap();
}
