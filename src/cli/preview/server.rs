//! The HTTP side of `baocao xem` (tiny_http, on 127.0.0.1 only):
//!
//! - `/`: the page ([`PAGE`]), which polls `/trang-thai` and shows the PDF;
//! - `/bao-cao.pdf`: the last good PDF;
//! - `/trang-thai`: JSON `{ "tep", "phien_ban", "loi", "canh_bao", "ghi_chu" }`
//!   (file name, version of the PDF, diagnostics or `null`, warnings or
//!   `null`, a note or `null`).
//!
//! Requests whose `Host` is not this address are refused, so that a web page
//! that points a name of its own at 127.0.0.1 cannot read the report.
use super::{lock, say, State, DEFAULT_PORT};
use baocao::diag::Diagnostic;
use std::io::{Cursor, ErrorKind, Read};
use std::net::{Ipv4Addr, TcpListener};
use std::sync::Mutex;
use tiny_http::{Header, Method, Request, Response, ResponseBox, StatusCode};

/// The page: static; everything that changes comes from `/trang-thai`.
const PAGE: &str = include_str!("page.html");

/// Listen on 127.0.0.1: on `port` if given (0: any free port), else on
/// [`DEFAULT_PORT`] or, when that is busy, on a port the system picks.
pub fn bind(port: Option<u16>) -> Result<TcpListener, Diagnostic> {
    let listen = |port: u16| TcpListener::bind((Ipv4Addr::LOCALHOST, port));
    match port {
        Some(p) => listen(p).map_err(|e| cannot_listen(p, &e)),
        None => match listen(DEFAULT_PORT) {
            Err(e) if e.kind() == ErrorKind::AddrInUse => {
                let l = listen(0).map_err(|e| cannot_listen(0, &e))?;
                if let Ok(a) = l.local_addr() {
                    say(&format!(
                        "cổng {DEFAULT_PORT} đang bận nên dùng cổng {}\n",
                        a.port()
                    ));
                }
                Ok(l)
            }
            r => r.map_err(|e| cannot_listen(DEFAULT_PORT, &e)),
        },
    }
}

/// Why `port` cannot be listened on, and what to do.
fn cannot_listen(port: u16, e: &std::io::Error) -> Diagnostic {
    let other = if port == u16::MAX || port < 1024 {
        DEFAULT_PORT
    } else {
        port + 1
    };
    let hint = format!(
        "chọn cổng khác bằng tùy chọn --cong, ví dụ: --cong {other} \
         (hoặc --cong 0 để máy tự chọn một cổng trống)"
    );
    let message = match e.kind() {
        ErrorKind::AddrInUse => format!("cổng {port} đang được một chương trình khác dùng"),
        ErrorKind::PermissionDenied => format!("không được phép mở cổng {port}"),
        _ => format!(
            "không mở được cổng {port}: {}",
            baocao::source::io_reason(e)
        ),
    };
    Diagnostic::error(message).with_hint(hint)
}

/// Answer requests until the process is stopped.
pub fn serve(listener: TcpListener, port: u16, state: &Mutex<State>) -> Result<(), Diagnostic> {
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|_| Diagnostic::error(format!("không mở được máy chủ xem trước ở cổng {port}")))?;
    let hosts = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    for request in server.incoming_requests() {
        let response = answer(&request, &hosts, state);
        // A browser that closed the connection is no error of the preview.
        let _ = request.respond(response);
    }
    Ok(())
}

fn answer(request: &Request, hosts: &[String], state: &Mutex<State>) -> ResponseBox {
    let host_ok = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .is_some_and(|h| {
            hosts
                .iter()
                .any(|a| h.value.as_str().eq_ignore_ascii_case(a))
        });
    if !host_ok {
        return text(403, "chỉ xem được ở địa chỉ 127.0.0.1");
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        return text(405, "trang xem trước chỉ để đọc");
    }
    let path = request.url().split('?').next().unwrap_or_default();
    match path {
        "/" => body(
            200,
            "text/html; charset=utf-8",
            Cursor::new(PAGE.as_bytes().to_vec()),
            PAGE.len(),
        ),
        "/bao-cao.pdf" => pdf(state),
        "/trang-thai" => status(state),
        _ => text(404, "không có trang này; trang xem trước ở địa chỉ /"),
    }
}

/// The last good PDF.
fn pdf(state: &Mutex<State>) -> ResponseBox {
    let pdf = lock(state).pdf.clone();
    match pdf {
        Some(bytes) => {
            let len = bytes.len();
            body(200, "application/pdf", Cursor::new(bytes), len)
        }
        None => text(404, "chưa có bản PDF nào: báo cáo chưa dựng được lần nào"),
    }
}

/// What the page needs to know, as JSON.
fn status(state: &Mutex<State>) -> ResponseBox {
    let s = lock(state);
    let json = serde_json::json!({
        "tep": s.file,
        "phien_ban": s.version,
        "loi": s.error,
        "canh_bao": s.warnings,
        "ghi_chu": s.note,
    })
    .to_string();
    drop(s);
    let len = json.len();
    body(
        200,
        "application/json; charset=utf-8",
        Cursor::new(json.into_bytes()),
        len,
    )
}

fn text(status: u16, message: &str) -> ResponseBox {
    let bytes = format!("{message}\n").into_bytes();
    let len = bytes.len();
    body(status, "text/plain; charset=utf-8", Cursor::new(bytes), len)
}

/// A response that no cache keeps (every answer can change at any moment).
fn body<R: Read + Send + 'static>(status: u16, kind: &str, data: R, len: usize) -> ResponseBox {
    let headers = [
        ("Content-Type", kind),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    .iter()
    .filter_map(|(name, value)| Header::from_bytes(name.as_bytes(), value.as_bytes()).ok())
    .collect();
    Response::new(StatusCode(status), headers, data, Some(len), None).boxed()
}
