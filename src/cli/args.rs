//! The command line: commands and options, with Vietnamese help, and clap's
//! errors said in Vietnamese.
use baocao::diag::Diagnostic;
use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Help layout with Vietnamese headings (clap's own are English).
const HELP: &str = "{about}\n\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// `-h` in Vietnamese, for every command.
#[derive(clap::Args)]
pub struct HelpFlag {
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
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    help: HelpFlag,
    /// In số phiên bản.
    #[arg(short = 'V', long = "version", action = ArgAction::Version, help_heading = "Tùy chọn")]
    version: Option<bool>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Tạo tệp PDF từ một tệp dữ liệu báo cáo (.toml).
    #[command(
        help_template = HELP,
        override_usage = "baocao render <DỮ_LIỆU.toml> [-o TỆP.pdf] [--emit pdf|markup] [--strict]",
        disable_help_flag = true
    )]
    Render {
        /// Tệp dữ liệu báo cáo (.toml, có khóa `mau` chỉ tới tệp mẫu), hoặc thư mục: mọi tệp .toml có `mau` trong đó. Cho nhiều tệp hay thư mục để dựng nhiều báo cáo cùng lúc.
        #[arg(value_name = "DỮ_LIỆU.toml", help_heading = "Tham số", required = true, num_args = 1..)]
        data: Vec<PathBuf>,
        /// Tệp PDF đầu ra; với nhiều báo cáo (hoặc [[don_vi]]) là thư mục đầu ra. Mặc định: cạnh tệp dữ liệu, cùng tên, đuôi .pdf.
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
        /// Số báo cáo dựng song song (mặc định: số lõi máy).
        #[arg(
            short = 'j',
            long = "jobs",
            value_name = "N",
            help_heading = "Tùy chọn"
        )]
        jobs: Option<usize>,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Kiểm tra tệp dữ liệu và mẫu qua mọi bước (không ghi tệp PDF) và báo mọi lỗi.
    #[command(
        name = "kiem-tra",
        help_template = HELP,
        override_usage = "baocao kiem-tra <DỮ_LIỆU.toml>… [--strict]",
        disable_help_flag = true
    )]
    Check {
        /// Tệp dữ liệu báo cáo (.toml) hoặc thư mục.
        #[arg(value_name = "DỮ_LIỆU.toml", help_heading = "Tham số", required = true, num_args = 1..)]
        data: Vec<PathBuf>,
        /// Coi mọi cảnh báo là lỗi.
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
    Profiles {
        #[command(subcommand)]
        action: Option<ProfileAction>,
        #[command(flatten)]
        help: HelpFlag,
    },
    /// Xem trước báo cáo trong trình duyệt; tự dựng lại khi tệp dữ liệu, mẫu hay thể thức thay đổi.
    #[command(
        name = "xem",
        help_template = HELP,
        override_usage = "baocao xem <DỮ_LIỆU.toml> [--cong CỔNG]",
        disable_help_flag = true
    )]
    Preview {
        /// Tệp dữ liệu báo cáo (.toml). Với tệp có nhiều [[don_vi]], xem đơn vị đầu tiên.
        #[arg(value_name = "DỮ_LIỆU.toml", help_heading = "Tham số")]
        data: PathBuf,
        /// Cổng của trang xem trước trên máy này (127.0.0.1). Số từ 0 đến 65535; mặc định: 8765, hoặc một cổng trống nếu 8765 đang bận; 0: để máy tự chọn.
        #[arg(long = "cong", value_name = "CỔNG", help_heading = "Tùy chọn")]
        port: Option<u16>,
        #[command(flatten)]
        help: HelpFlag,
    },
}

#[derive(Subcommand)]
pub enum ProfileAction {
    /// In một thể thức dưới dạng TOML, để chép làm thể thức riêng (dùng với `ke_thua`).
    #[command(help_template = HELP, override_usage = "baocao the-thuc show <TÊN>", disable_help_flag = true)]
    Show {
        /// Tên thể thức, ví dụ: dang-36, dang-05, nha-nuoc.
        #[arg(value_name = "TÊN", help_heading = "Tham số")]
        name: String,
        #[command(flatten)]
        help: HelpFlag,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum EmitArg {
    /// Tệp PDF.
    Pdf,
    /// Văn bản markup sau khi điền mẫu.
    Markup,
}

/// A command-line mistake, in Vietnamese.
pub fn usage_error(e: &clap::Error) -> Diagnostic {
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
        // A value of the wrong kind (`-j abc`, `--cong 70000`).
        ErrorKind::ValueValidation => format!(
            "giá trị \"{}\" không hợp lệ cho {}",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::ArgumentConflict => "các tùy chọn không dùng cùng nhau được".to_string(),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("thừa tham số: {}", ctx(ContextKind::InvalidArg))
        }
        _ => format!("dòng lệnh không hợp lệ: {}", e.kind()),
    };
    Diagnostic::error(msg).with_hint("xem cách dùng: baocao --help")
}
