//! The `baocao` command: a thin shell over the library.
use baocao::diag::{Diagnostic, Span};
use baocao::{render_file, Emit};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "baocao",
    version,
    about = "Tạo báo cáo PDF theo thể thức văn bản của Đảng và Nhà nước từ tệp dữ liệu TOML và mẫu Handlebars.",
    long_about = None,
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Tạo tệp PDF từ một tệp dữ liệu báo cáo (.toml).
    Render {
        /// Tệp dữ liệu báo cáo (.toml), có khóa `mau` chỉ tới tệp mẫu.
        data: PathBuf,
        /// Tệp PDF đầu ra. Mặc định: cùng thư mục và cùng tên với tệp dữ liệu, đuôi .pdf.
        #[arg(short = 'o', long = "output", value_name = "TỆP")]
        output: Option<PathBuf>,
        /// Kết quả cần xuất: `pdf` (mặc định) hoặc `markup` (in văn bản sau khi điền mẫu, để kiểm tra mẫu).
        #[arg(long, value_enum, default_value_t = EmitArg::Pdf, value_name = "LOẠI")]
        emit: EmitArg,
        /// Coi mọi cảnh báo là lỗi (dùng trong CI).
        #[arg(long)]
        strict: bool,
    },
    /// Liệt kê các thể thức văn bản có sẵn, kèm nguồn và ngày áp dụng.
    #[command(name = "the-thuc")]
    TheThuc {
        #[command(subcommand)]
        action: Option<TheThucAction>,
    },
}

#[derive(Subcommand)]
enum TheThucAction {
    /// In một thể thức dưới dạng TOML, để chép làm thể thức riêng (dùng với `ke_thua`).
    Show {
        /// Tên thể thức, ví dụ: dang-36, dang-05, nha-nuoc.
        ten: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum EmitArg {
    /// Tệp PDF.
    Pdf,
    /// Văn bản markup sau khi điền mẫu.
    Markup,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Render {
            data,
            output,
            emit,
            strict,
        } => render(&data, output, emit, strict),
        Command::TheThuc { action: None } => {
            println!("Các thể thức có sẵn (the_thuc = \"dang\" chọn thể thức của Đảng có hiệu lực vào ngày ban hành):");
            for p in baocao::profile::list() {
                println!();
                println!("{}  (họ \"{}\", áp dụng từ {})", p.ten, p.ho, p.ap_dung_tu);
                println!("    {}", p.mo_ta);
                println!("    nguồn: {}", p.nguon);
            }
            ExitCode::SUCCESS
        }
        Command::TheThuc {
            action: Some(TheThucAction::Show { ten }),
        } => match baocao::profile::builtin_text(&ten) {
            Some(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            None => {
                let names: Vec<String> =
                    baocao::profile::list().into_iter().map(|p| p.ten).collect();
                eprint!(
                    "{}",
                    Diagnostic::error(format!("không có thể thức \"{ten}\""))
                        .with_hint(format!("các thể thức có sẵn: {}", names.join(", ")))
                );
                ExitCode::FAILURE
            }
        },
    }
}

fn render(data: &Path, output: Option<PathBuf>, emit: EmitArg, strict: bool) -> ExitCode {
    let emit = match emit {
        EmitArg::Pdf => Emit::Pdf,
        EmitArg::Markup => Emit::Markup,
    };
    let rendered = match render_file(data, emit) {
        Ok(r) => r,
        Err(diags) => {
            eprint!("{diags}");
            return ExitCode::FAILURE;
        }
    };
    if std::env::var_os("BAOCAO_TIMINGS").is_some() {
        for (stage, t) in &rendered.timings {
            eprintln!("{stage:>10}: {:.2} ms", t.as_secs_f64() * 1000.0);
        }
    }
    for w in &rendered.warnings {
        eprint!("{w}");
    }
    if strict && !rendered.warnings.is_empty() {
        eprintln!(
            "lỗi: có {} cảnh báo và --strict được bật; không tạo tệp.",
            rendered.warnings.len()
        );
        return ExitCode::FAILURE;
    }
    match rendered.pdf {
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(rendered.markup.as_bytes());
            ExitCode::SUCCESS
        }
        Some(bytes) => {
            let out = output.unwrap_or_else(|| data.with_extension("pdf"));
            match write_atomic(&out, &bytes) {
                Ok(()) => {
                    eprintln!(
                        "đã tạo {} ({} trang, {} byte)",
                        out.display(),
                        rendered.pages,
                        bytes.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprint!("{d}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Write to a temporary file beside `out`, then rename it into place: a failed run
/// leaves no file and never clobbers an existing one.
fn write_atomic(out: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let shown = out.display().to_string();
    let fail = |msg: String| Diagnostic::error(msg).with_span(Span::file_only(&shown));
    if out.is_dir() {
        return Err(fail(
            "đường dẫn đầu ra là một thư mục; hãy cho tên tệp .pdf".to_string(),
        ));
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(fail(format!(
            "thư mục đầu ra \"{}\" không tồn tại",
            dir.display()
        )));
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, out)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(format!(
            "không ghi được tệp đầu ra: {}",
            baocao::io_reason(&e)
        )));
    }
    Ok(())
}
