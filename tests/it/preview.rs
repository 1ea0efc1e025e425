//! `baocao xem`, the live preview. The main test drives Debian's headless
//! Chromium through `tests/node/drive.mjs` (playwright-core, installed by
//! `.ci/run` with `npm ci --prefix tests/node`): the page shows the PDF,
//! follows a changed figure, and shows the Vietnamese error of broken data
//! above the last good PDF. The others speak HTTP to the server directly.
//!
//! Every wait has a timeout, and every process a test starts is killed when
//! the test ends, failed or not (the guards' `Drop`).

use crate::common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long `baocao xem` may take to render and print its address.
const STARTUP: Duration = Duration::from_secs(60);

/// How long a re-render may take to show (the promise is a second; slow CI).
const CHANGE: Duration = Duration::from_secs(5);

/// The line `baocao xem` prints once it serves.
fn address_line(port: u16) -> String {
    format!("Xem trước tại http://127.0.0.1:{port}/ — nhấn Ctrl+C để dừng")
}

/// A running `baocao xem`, killed when dropped.
struct Preview {
    child: Child,
    port: u16,
    /// Everything it printed on stderr so far.
    log: Arc<Mutex<String>>,
}

impl Preview {
    /// `baocao xem ARGS` in `dir`; returns once it prints its address.
    fn start(dir: &Path, args: &[&str]) -> Preview {
        let mut child = bin()
            .arg("xem")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start baocao xem");
        let stderr = child.stderr.take().expect("stderr of baocao xem");
        let log = Arc::new(Mutex::new(String::new()));
        let lines = read_lines(stderr, Arc::clone(&log));
        let mut preview = Preview {
            child,
            port: 0,
            log,
        };
        let deadline = Instant::now() + STARTUP;
        while preview.port == 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = lines.recv_timeout(left) else {
                panic!(
                    "baocao xem stopped, or printed no address within {STARTUP:?}:\n{}",
                    preview.log()
                );
            };
            if let Some(port) = line
                .strip_prefix("Xem trước tại http://127.0.0.1:")
                .and_then(|rest| rest.split('/').next())
                .and_then(|p| p.parse().ok())
            {
                assert_eq!(line, address_line(port), "the address line");
                preview.port = port;
            }
        }
        preview
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// `GET path` with the page's own `Host`.
    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        http_get(self.port, path, &format!("127.0.0.1:{}", self.port))
    }

    /// The page's `/trang-thai`.
    fn status(&self) -> Value {
        let (code, body) = self.get("/trang-thai");
        assert_eq!(code, 200, "/trang-thai answered {code}:\n{}", self.log());
        serde_json::from_slice(&body).expect("/trang-thai is JSON")
    }

    /// Poll `/trang-thai` until `done` holds; panics after [`CHANGE`].
    fn wait_status(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + CHANGE;
        loop {
            let s = self.status();
            if done(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "waited {CHANGE:?} for {what}; /trang-thai is {s}\nbaocao xem printed:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The PDF the page serves, saved as `path`, as pdftotext reads it (folded).
    fn pdf_text(&self, path: &Path) -> String {
        let (code, body) = self.get("/bao-cao.pdf");
        assert_eq!(code, 200, "/bao-cao.pdf answered {code}:\n{}", self.log());
        std::fs::write(path, body).expect("save the PDF");
        fold(&pdftotext(path))
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The lines of `from`, each added to `log` and sent on the returned channel.
/// Reads to the end even when nobody listens any more: a closed pipe would
/// make the process's next message fail.
fn read_lines(from: impl Read + Send + 'static, log: Arc<Mutex<String>>) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            if let Ok(mut l) = log.lock() {
                l.push_str(&line);
                l.push('\n');
            }
            let _ = tx.send(line);
        }
    });
    rx
}

/// A plain `GET` (the test's own client; the server is tiny_http). Returns the
/// status code and the body.
fn http_get(port: u16, path: &str, host: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to baocao xem");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).expect("read the answer");
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP answer: {}", String::from_utf8_lossy(&answer)));
    let head = String::from_utf8_lossy(&answer[..split]).to_string();
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    let body = &answer[split + 4..];
    // tiny_http sends a body over 32 KB in chunks.
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    (
        code,
        if chunked {
            unchunk(body)
        } else {
            body.to_vec()
        },
    )
}

/// The data of a chunked HTTP body.
fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = body
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size line");
        let size = std::str::from_utf8(&body[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .expect("a hexadecimal chunk size");
        if size == 0 {
            return out;
        }
        let data = eol + 2;
        out.extend_from_slice(&body[data..data + size]);
        body = &body[data + size + 2..];
    }
}

/// Replace the one `from` in `dir/name` by `to`; returns the new text.
fn edit(dir: &Path, name: &str, from: &str, to: &str) -> String {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).expect("read file to edit");
    assert_eq!(text.matches(from).count(), 1, "{from:?} in {name}");
    let text = text.replace(from, to);
    std::fs::write(&path, &text).expect("write edited file");
    text
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// Headless Chromium, driven by `tests/node/drive.mjs`; closed when dropped.
struct Browser {
    child: Child,
    stdin: Option<ChildStdin>,
    answers: Receiver<String>,
    log: PathBuf,
}

/// Chromium's program: Debian's, or `$BAOCAO_CHROMIUM`.
fn chromium() -> PathBuf {
    std::env::var_os("BAOCAO_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

impl Browser {
    /// Start the driver (it launches Chromium). A missing piece is a failure
    /// that names what to install: the tests install nothing.
    fn start(log_dir: &Path) -> Browser {
        let node_dir = root().join("tests/node");
        assert!(
            chromium().is_file(),
            "{} is missing: the preview test drives headless Chromium. \
             Install Debian's package chromium (`apt-get install chromium`; .ci/run does)",
            chromium().display()
        );
        assert!(
            node_dir.join("node_modules/playwright-core").is_dir(),
            "playwright-core is not installed for the preview test: \
             run `npm ci --prefix tests/node` (.ci/run does)"
        );
        let log = log_dir.join("drive.log");
        let mut child = match Command::new("node")
            .arg(node_dir.join("drive.mjs"))
            .env("BAOCAO_CHROMIUM", chromium())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("driver log"))
            .spawn()
        {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                "node is not installed: the preview test drives Chromium with it. \
                 Install Debian's packages nodejs and npm"
            ),
            Err(e) => panic!("cannot run node: {e}"),
        };
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("driver's stdout");
        let answers = read_lines(stdout, Arc::new(Mutex::new(String::new())));
        Browser {
            child,
            stdin,
            answers,
            log,
        }
    }

    /// Send one command; its answer's value. Panics on an error or after `wait`.
    fn ask(&mut self, command: &str, wait: Duration, server: &Preview) -> Value {
        // A driver that has stopped shows as no answer, below, with its log.
        if let Some(stdin) = self.stdin.as_mut() {
            let _ = writeln!(stdin, "{command}");
        }
        let log = || std::fs::read_to_string(&self.log).unwrap_or_default();
        let line = self.answers.recv_timeout(wait).unwrap_or_else(|_| {
            panic!(
                "the browser gave no answer to `{command}` (waited at most {wait:?})\n\
                 driver:\n{}\nbaocao xem:\n{}",
                log(),
                server.log()
            )
        });
        let answer: Value = serde_json::from_str(&line).expect("driver answers JSON");
        match answer.get("ok") {
            Some(v) => v.clone(),
            None => panic!(
                "`{command}` failed in the browser: {}\ndriver:\n{}\nbaocao xem:\n{}",
                answer["err"],
                log(),
                server.log()
            ),
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Closing stdin asks the driver to close Chromium and end.
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The figure the test changes: `thuong_mai.ban_le.thuc_hien`.
const FIGURE: &str = "thuc_hien = 3250                 # ước thực hiện";

#[test]
fn page_in_headless_chromium_follows_the_data_and_shows_errors() {
    let dir = copy_example("preview");
    let out = scratch("preview-out");
    let files = files_in(&dir);
    let server = Preview::start(&dir, &["bao-cao.toml", "--cong", "0"]);
    let mut browser = Browser::start(&out);
    let step = Duration::from_secs(30);

    // The page shows the PDF `baocao render` makes, byte for byte.
    let first = browser.ask(
        &format!("open {}", server.url()),
        Duration::from_secs(60),
        &server,
    );
    assert!(first.as_u64() >= Some(1), "first version {first}");
    let pdf1 = out.join("1.pdf");
    browser.ask(&format!("save-pdf {}", pdf1.display()), step, &server);
    let rendered = render(&dir.join("bao-cao.toml"), &out);
    assert!(
        std::fs::read(&pdf1).expect("page's PDF")
            == std::fs::read(&rendered).expect("render's PDF"),
        "the page's PDF differs from `baocao render`'s"
    );
    assert!(fold(&pdftotext(&pdf1)).contains("ước đạt trên 3.250 tỷ đồng"));

    // A figure changes: the page shows a new PDF with the new figure.
    edit(
        &dir,
        "bao-cao.toml",
        FIGURE,
        &FIGURE.replace("3250", "3999"),
    );
    let second = browser.ask(&format!("wait-version {first} 5000"), step, &server);
    let pdf2 = out.join("2.pdf");
    browser.ask(&format!("save-pdf {}", pdf2.display()), step, &server);
    let text = fold(&pdftotext(&pdf2));
    assert!(text.contains("ước đạt trên 3.999 tỷ đồng"), "{text}");
    assert!(!text.contains("ước đạt trên 3.250"), "{text}");

    // The data breaks (a decimal comma): the page shows what `render` says,
    // above the last good PDF.
    let broken = edit(
        &dir,
        "bao-cao.toml",
        &FIGURE.replace("3250", "3999"),
        &FIGURE.replace("3250 ", "3.999,5"),
    );
    let error = browser.ask("wait-error 5000", step, &server);
    let error = error.as_str().expect("error text");
    let said = bin()
        .args(["render", "bao-cao.toml", "-o"])
        .arg(out.join("broken.pdf"))
        .current_dir(&dir)
        .output()
        .expect("run baocao render");
    assert_eq!(said.status.code(), Some(1));
    assert_eq!(
        error.trim_end(),
        String::from_utf8_lossy(&said.stderr).trim_end(),
        "the page's error is not what `baocao render` says"
    );
    let (line, col) = locate(&broken, "3.999,5", 0);
    let place = format!("──▶ bao-cao.toml:{line}:{}", col + 5);
    assert!(
        error.starts_with("lỗi: ") && error.contains(&place),
        "{error}"
    );
    let status = browser.ask("text trang-thai", step, &server);
    assert_eq!(
        status.as_str().and_then(|s| s.split(", lúc").next()),
        Some(format!("Có lỗi: đang hiện bản PDF tốt gần nhất (bản {second}").as_str()),
        "status line"
    );
    let pdf3 = out.join("3.pdf");
    browser.ask(&format!("save-pdf {}", pdf3.display()), step, &server);
    assert!(
        std::fs::read(&pdf3).ok() == std::fs::read(&pdf2).ok(),
        "the last good PDF is kept"
    );

    // For a person to look at.
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("preview/xem-truoc-loi.png");
    std::fs::create_dir_all(shot.parent().expect("folder")).expect("screenshot folder");
    browser.ask(&format!("screenshot {}", shot.display()), step, &server);
    eprintln!("screenshot of the preview: {}", shot.display());

    // Fixed again: the error goes, the same PDF stays (same bytes, same version).
    edit(
        &dir,
        "bao-cao.toml",
        &FIGURE.replace("3250 ", "3.999,5"),
        &FIGURE.replace("3250", "3999"),
    );
    browser.ask("wait-no-error 5000", step, &server);
    assert_eq!(server.status()["phien_ban"], second);

    // The preview writes no file beside the data.
    assert_eq!(files_in(&dir), files);
}

#[test]
fn a_port_in_use_is_a_vietnamese_error() {
    let dir = copy_example("preview-port");
    let taken = TcpListener::bind(("127.0.0.1", 0)).expect("take a port");
    let port = taken.local_addr().expect("address").port();
    let mut child = bin()
        .args(["xem", "bao-cao.toml", "--cong", &port.to_string()])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start baocao xem");
    let deadline = Instant::now() + STARTUP;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for baocao xem") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("baocao xem --cong {port} (a port in use) did not stop");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("read stderr");
    assert_eq!(status.code(), Some(1), "{err}");
    let other = if port == u16::MAX { 8765 } else { port + 1 };
    assert_eq!(
        err,
        format!(
            "lỗi: cổng {port} đang được một chương trình khác dùng\n\
             gợi ý: chọn cổng khác bằng tùy chọn --cong, ví dụ: --cong {other} \
             (hoặc --cong 0 để máy tự chọn một cổng trống)\n"
        )
    );
}

#[test]
fn without_cong_a_busy_default_port_gives_way_to_a_free_one() {
    let dir = copy_example("preview-default");
    // Held by the test if free; busy either way.
    let _held = TcpListener::bind(("127.0.0.1", 8765));
    let server = Preview::start(&dir, &["bao-cao.toml"]);
    assert_ne!(server.port, 8765);
    assert!(
        server.log().contains(&format!(
            "cổng 8765 đang bận nên dùng cổng {}\n",
            server.port
        )),
        "{}",
        server.log()
    );
    assert_eq!(server.status()["phien_ban"], 1);
}

#[test]
fn the_server_answers_only_its_own_address_and_pages() {
    let dir = copy_example("preview-http");
    let server = Preview::start(&dir, &["bao-cao.toml", "--cong", "0"]);
    let port = server.port;
    let (code, body) = http_get(port, "/", &format!("tro-choi.example:{port}"));
    assert_eq!(code, 403, "another host name");
    assert_eq!(
        String::from_utf8_lossy(&body),
        "chỉ xem được ở địa chỉ 127.0.0.1\n"
    );
    assert_eq!(http_get(port, "/", &format!("localhost:{port}")).0, 200);
    let (code, page) = server.get("/");
    assert_eq!(code, 200);
    let page = String::from_utf8_lossy(&page);
    assert!(page.contains("<html lang=\"vi\">") && page.contains("/trang-thai"));
    assert_eq!(server.get("/khac").0, 404);
    let (code, pdf) = server.get("/bao-cao.pdf?v=1");
    assert_eq!(code, 200);
    assert!(pdf.starts_with(b"%PDF-"));
    let status = server.status();
    assert_eq!(status["tep"], "bao-cao.toml");
    assert_eq!(status["loi"], Value::Null);
}

#[test]
fn broken_data_at_start_shows_its_error_and_no_pdf_until_fixed() {
    let dir = scratch("preview-broken");
    put(&dir, "bao-cao.toml", SMALL_DATA.replace("3250", "3.250,5"));
    put(&dir, "mau.md.hbs", SMALL_TEMPLATE);
    let server = Preview::start(&dir, &["bao-cao.toml", "--cong", "0"]);
    let status = server.status();
    assert_eq!(status["phien_ban"], 0);
    let error = status["loi"].as_str().expect("an error");
    assert!(
        error.starts_with("lỗi: ") && error.contains("──▶ bao-cao.toml:"),
        "{error}"
    );
    assert!(server.log().contains(error), "the error is also printed");
    assert_eq!(server.get("/bao-cao.pdf").0, 404);

    put(&dir, "bao-cao.toml", SMALL_DATA);
    let status = server.wait_status("the fixed data's PDF", |s| s["phien_ban"] == 1);
    assert_eq!(status["loi"], Value::Null);
    let out = scratch("preview-broken-out");
    assert!(server.pdf_text(&out.join("fixed.pdf")).contains(SMALL_BODY));
}

#[test]
fn template_partial_and_profile_changes_render_again() {
    let dir = scratch("preview-sources");
    let data = SMALL_DATA.replace("the_thuc = \"dang\"", "the_thuc = \"rieng.toml\"");
    put(&dir, "bao-cao.toml", &data);
    put(
        &dir,
        "mau.md.hbs",
        format!("{SMALL_TEMPLATE}\n{{{{> phan}}}}\n"),
    );
    put(&dir, "phan.md.hbs", "Phần thêm thứ nhất.\n");
    let profile = |label: &str| {
        format!("ke_thua = \"dang-36\"\n\n[noi_nhan]\ntieu_de = {{ chu = \"{label}\", co = 14.0, gach_chan = true }}\n")
    };
    put(&dir, "rieng.toml", profile("Nơi gửi:"));
    let out = scratch("preview-sources-out");
    let server = Preview::start(&dir, &["bao-cao.toml", "--cong", "0"]);
    let text = server.pdf_text(&out.join("0.pdf"));
    assert!(
        text.contains(SMALL_BODY)
            && text.contains("Phần thêm thứ nhất.")
            && text.contains("Nơi gửi:"),
        "{text}\n{}",
        server.log()
    );

    let changes: [(&str, &str, &str, &str); 3] = [
        (
            "mau.md.hbs",
            "# I- KẾT QUẢ",
            "# I- KẾT QUẢ MỚI",
            "I- KẾT QUẢ MỚI",
        ),
        ("phan.md.hbs", "thứ nhất", "thứ hai", "Phần thêm thứ hai."),
        ("rieng.toml", "Nơi gửi:", "Nơi chuyển:", "Nơi chuyển:"),
    ];
    for (n, (file, from, to, shown)) in changes.into_iter().enumerate() {
        edit(&dir, file, from, to);
        let version = n as u64 + 2;
        server.wait_status(&format!("a new PDF after {file} changed"), |s| {
            s["phien_ban"] == version
        });
        let text = server.pdf_text(&out.join(format!("{version}.pdf")));
        assert!(text.contains(shown), "{file}: {text}");
    }
}

#[test]
fn a_file_of_several_units_shows_the_first_and_says_so() {
    let from = root().join("examples/thu-ngan-sach-xa-2025");
    let dir = copy_dir(&from, "preview-units");
    let data = std::fs::read_to_string(dir.join("bao-cao.toml")).expect("read data");
    let units = data.lines().filter(|l| l.trim() == "[[don_vi]]").count();
    assert!(units > 1, "the example has several units");
    let server = Preview::start(&dir, &["bao-cao.toml", "--cong", "0"]);
    let status = server.status();
    assert_eq!(
        status["ghi_chu"],
        format!("Tệp có {units} đơn vị ([[don_vi]]); đang xem đơn vị đầu tiên: \"xa-dai-tu\".")
    );
    let out = scratch("preview-units-out");
    let (_, pdf) = server.get("/bao-cao.pdf");
    let run = bin()
        .args(["render", "bao-cao.toml", "-o"])
        .arg(format!("{}/", out.display()))
        .current_dir(&dir)
        .output()
        .expect("run baocao render");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let first = out.join("xa-dai-tu.pdf");
    assert!(
        std::fs::read(&first).ok().as_deref() == Some(pdf.as_slice()),
        "the page's PDF is not the first unit's"
    );
}

#[test]
fn a_changed_spreadsheet_renders_again() {
    let dir = scratch("preview-sheet");
    let data = SMALL_DATA.replace(
        "mau = \"mau.md.hbs\"",
        "mau = \"mau.md.hbs\"\nchi_tieu = { bang_tinh = \"so-lieu/chi-tieu.csv\" }",
    );
    put(&dir, "bao-cao.toml", &data);
    put(
        &dir,
        "mau.md.hbs",
        "# I- KẾT QUẢ\n\n{{#each chi_tieu}}\n{{ten}}: {{so ke_hoach}} tỷ đồng.\n\n{{/each}}\n",
    );
    put(
        &dir,
        "so-lieu/chi-tieu.csv",
        "Tên,Kế hoạch\nThu ngân sách,186.5\n",
    );
    let out = scratch("preview-sheet-out");
    let server = Preview::start(&dir, &["bao-cao.toml", "--cong", "0"]);
    let text = server.pdf_text(&out.join("0.pdf"));
    assert!(
        text.contains("Thu ngân sách: 186,5 tỷ đồng."),
        "{text}\n{}",
        server.log()
    );
    edit(&dir, "so-lieu/chi-tieu.csv", "186.5", "201.3");
    server.wait_status("a new PDF after the sheet changed", |s| s["phien_ban"] == 2);
    let text = server.pdf_text(&out.join("1.pdf"));
    assert!(text.contains("Thu ngân sách: 201,3 tỷ đồng."), "{text}");
}
