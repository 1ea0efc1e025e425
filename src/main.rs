//! The `baocao` command: a thin shell over the library.
use baocao::diag::{Diagnostic, Span};
use baocao::{render_file, Emit};
use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Help layout with Vietnamese headings (clap's own are English).
const HELP: &str = "{about}\n\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// `-h` in Vietnamese, for every command.
#[derive(clap::Args)]
struct HelpFlag {
    /// In hướng dẫn này.
    #[arg(short = 'h', long = "help", action = ArgAction::Help, help_heading = "Tùy chọn")]
    help: Option<bool>,
}

#[derive(Parser)]
#[command(
    name = "baocao",
    version,
    about = "Tạo báo cáo PDF theo thể thức văn bản của Đảng và Nhà nước từ tệp dữ liệu TOML và mẫu Handlebars.",
    long_about = None,
    help_template = HELP,
    override_usage = "baocao <LỆNH> [TÙY CHỌN]",
    subcommand_help_heading = "Lệnh",
    subcommand_value_name = "LỆNH",
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    after_help = "\nXem hướng dẫn của từng lệnh: baocao render --help"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    help: HelpFlag,
    /// In số phiên bản.
    #[arg(short = 'V', long = "version", action = ArgAction::Version, help_heading = "Tùy chọn")]
    version: Option<bool>,
}

#[derive(Subcommand)]
enum Command {
    /// Tạo tệp PDF từ một tệp dữ liệu báo cáo (.toml).
    #[command(
        help_template = HELP,
        override_usage = "baocao render <DỮ_LIỆU.toml> [-o TỆP.pdf] [--emit pdf|markup] [--strict]",
        disable_help_flag = true
    )]
    Render {
        /// Tệp dữ liệu báo cáo (.toml), có khóa `mau` chỉ tới tệp mẫu.
        #[arg(value_name = "DỮ_LIỆU.toml", help_heading = "Tham số")]
        data: PathBuf,
        /// Tệp PDF đầu ra. Mặc định: cùng thư mục và cùng tên với tệp dữ liệu, đuôi .pdf.
        #[arg(
            short = 'o',
            long = "output",
            value_name = "TỆP",
            help_heading = "Tùy chọn"
        )]
        output: Option<PathBuf>,
        /// Kết quả cần xuất: `pdf` (mặc định) hoặc `markup` (in văn bản sau khi điền mẫu, để kiểm tra mẫu).
        #[arg(
            long,
            value_enum,
            default_value_t = EmitArg::Pdf,
            value_name = "LOẠI",
            hide_default_value = true,
            hide_possible_values = true,
            help_heading = "Tùy chọn"
        )]
        emit: EmitArg,
        /// Coi mọi cảnh báo là lỗi (dùng trong CI).
        #[arg(long, help_heading = "Tùy chọn")]
        strict: bool,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Liệt kê các thể thức văn bản có sẵn, kèm nguồn và ngày áp dụng.
    #[command(
        name = "the-thuc",
        help_template = HELP,
        override_usage = "baocao the-thuc [show <TÊN>]",
        subcommand_help_heading = "Lệnh",
        subcommand_value_name = "LỆNH",
        disable_help_flag = true
    )]
    TheThuc {
        #[command(subcommand)]
        action: Option<TheThucAction>,
        #[command(flatten)]
        help: HelpFlag,
    },
}

#[derive(Subcommand)]
enum TheThucAction {
    /// In một thể thức dưới dạng TOML, để chép làm thể thức riêng (dùng với `ke_thua`).
    #[command(help_template = HELP, override_usage = "baocao the-thuc show <TÊN>", disable_help_flag = true)]
    Show {
        /// Tên thể thức, ví dụ: dang-36, dang-05, nha-nuoc.
        #[arg(value_name = "TÊN", help_heading = "Tham số")]
        ten: String,
        #[command(flatten)]
        help: HelpFlag,
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
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprint!("{}", usage_error(&e));
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Render {
            data,
            output,
            emit,
            strict,
            ..
        } => render(&data, output, emit, strict),
        Command::TheThuc { action: None, .. } => {
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
            action: Some(TheThucAction::Show { ten, .. }),
            ..
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

/// A command-line mistake, in Vietnamese.
fn usage_error(e: &clap::Error) -> Diagnostic {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    let msg = match e.kind() {
        ErrorKind::MissingRequiredArgument => {
            format!("thiếu tham số bắt buộc: {}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "thiếu lệnh (ví dụ: baocao render bao-cao.toml)".to_string()
        }
        ErrorKind::InvalidSubcommand => {
            format!("không có lệnh \"{}\"", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument => {
            format!("không có tùy chọn \"{}\"", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue => format!(
            "giá trị \"{}\" không hợp lệ cho {} (dùng một trong: {})",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::ValidValue)
        ),
        ErrorKind::ArgumentConflict => "các tùy chọn không dùng cùng nhau được".to_string(),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("thừa tham số: {}", ctx(ContextKind::InvalidArg))
        }
        _ => format!("dòng lệnh không hợp lệ: {}", e.kind()),
    };
    Diagnostic::error(msg).with_hint("xem cách dùng: baocao --help")
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
