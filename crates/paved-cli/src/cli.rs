//! The command-line interface, as clap types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use paved_spec::SchemaKind;

/// paved: a few lines of app YAML in, everything a regulated platform needs out.
#[derive(Debug, Parser)]
#[command(
    name = "paved",
    version,
    about = "A few lines of app YAML in; Kubernetes objects, network policies, a Helm chart, Argo CD Applications and an Azure pipeline out.",
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// The platform file (environments, registries, ...). Default: the embedded example organisation.
    #[arg(long, global = true, value_name = "FILE")]
    pub platform: Option<PathBuf>,
    /// A checked-out blueprint catalog to use instead of the embedded one.
    #[arg(long, global = true, value_name = "DIR")]
    pub blueprints: Option<PathBuf>,
    /// Also print notes, such as calls to apps outside the rendered set.
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    /// The lock file recording each app's exact blueprint version (`none`: resolve afresh, write nothing).
    #[arg(long, global = true, value_name = "FILE", env = "PAVED_LOCK", default_value = "paved.lock")]
    pub lock: PathBuf,
    /// Fail instead of changing the lock file.
    #[arg(long, global = true)]
    pub locked: bool,
    /// The team files (`teams/<team>.yaml`): every app's team must have one, and an app
    /// renders only in the environments its team uses.
    #[arg(long, global = true, value_name = "DIR", env = "PAVED_TEAMS")]
    pub teams: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render apps to Kubernetes objects.
    Render(RenderArgs),
    /// Check app files, and the objects they render against the Kubernetes and CRD schemas.
    Validate(ValidateArgs),
    /// Fail when committed output is stale: each app's azure-pipelines.yml, and the tree in --out.
    Check(CheckArgs),
    /// What a change does to rendered output: this working tree against a git revision, object by object.
    Diff(DiffArgs),
    /// Write a new app file.
    New(NewArgs),
    /// Draw the call graph of apps: calls, external hosts and ingress.
    Graph(GraphArgs),
    /// Move apps to the newest blueprint version their pins allow, showing what changes.
    Upgrade(UpgradeArgs),
    /// What is behind: each app's pin and locked version next to the newest it could run.
    Outdated(OutdatedArgs),
    /// Every image each app deploys in each environment, as rendered or as deployed.
    Images(ImagesArgs),
    /// One static HTML page: the outdated table, the images, the call graphs, version adoption.
    Report(ReportPageArgs),
    /// Render teams' landing zones: namespace, quota, access, Argo CD projects, baseline policy.
    LandingZone(LandingZoneArgs),
    /// Work with the blueprint catalog.
    #[command(subcommand)]
    Blueprint(BlueprintCommand),
    /// Print the JSON schema of the app file (or the platform or team file).
    Schema(SchemaArgs),
    /// Explain a field of the app file (or the platform file).
    Explain(ExplainArgs),
    /// Print a script that completes paved's commands and options in a shell.
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// App files, or directories searched for `app.yaml`. Default: the current directory.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub target: RenderTarget,
    /// The image tag to deploy, replacing the one in the app file.
    #[arg(long, value_name = "TAG")]
    pub image_tag: Option<String>,
    /// The image digest to deploy (`sha256:…`), replacing the one in the app file.
    #[arg(long, value_name = "DIGEST")]
    pub image_digest: Option<String>,
    /// Also (re)write each app's `azure-pipelines.yml` beside its `app.yaml`.
    #[arg(long)]
    pub pipelines: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Which environments a rendering command renders, and where the output goes.
#[derive(Debug, Args)]
pub struct RenderTarget {
    /// Render only these environments (repeatable). Default: every environment.
    #[arg(long = "env", short = 'e', value_name = "ENV")]
    pub envs: Vec<String>,
    /// Write one YAML stream to stdout (`-o -`, the default).
    #[arg(short = 'o', long = "output", value_name = "-", conflicts_with = "out")]
    pub output: Option<String>,
    /// Write the file tree to DIR, replacing what paved wrote there before (atomically).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LandingZoneArgs {
    /// Team files, or folders holding them (`*.yaml`). Default: `teams`.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub target: RenderTarget,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// App files, or directories searched for `app.yaml`. Default: the current directory.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// App files, or directories searched for `app.yaml`. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Show what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Move the apps of this blueprint to this pin (`api@2`), across majors too.
    #[arg(long, value_name = "PIN", conflicts_with = "level")]
    pub to: Option<String>,
    /// How far to move: `patch` (same minor), `minor` (same major, the default), `major` (newest).
    #[arg(long, value_enum, default_value_t = Level::Minor)]
    pub level: Level,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    /// The newest patch of the locked minor version.
    Patch,
    /// The newest version of the locked major version.
    Minor,
    /// The newest version; crossing a major rewrites the pin and applies the migration.
    Major,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// App files, or directories searched for `app.yaml`. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// The git revision to compare with (`origin/main`, a commit).
    #[arg(long, value_name = "REV")]
    pub base: String,
    /// Only these environments (repeatable). Default: every environment.
    #[arg(long = "env", short = 'e', value_name = "ENV")]
    pub envs: Vec<String>,
    /// How to print the differences.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit 1 when there are differences.
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For a terminal.
    Text,
    /// For a pull-request comment.
    Markdown,
    /// For machines.
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// App files, or directories searched for `app.yaml`. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// A tree written by `paved render --out DIR`, to compare with a fresh render.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// How problems are reported on stderr.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// With the source line and a hint.
    Human,
    /// One line per problem: `file:line:column: field: message (hint)`.
    Short,
    /// A JSON array on stdout, for machines.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum BlueprintCommand {
    /// Every blueprint version, with its status and digest.
    List,
    /// One blueprint version: what it is, the fields it takes, its status and changelog.
    Show {
        /// `NAME` (the newest version) or `NAME@VERSION`.
        blueprint: String,
    },
    /// Fail when a published version's folder changed since it was published.
    Verify,
    /// Start a new version by copying an existing one (in the catalog folder).
    New {
        /// The blueprint's name.
        name: String,
        /// The version to copy.
        #[arg(long)]
        from: String,
        /// The new version.
        #[arg(long)]
        version: String,
    },
    /// Publish a version: check it, then record its digest in index.yaml.
    Publish {
        /// `NAME@VERSION`.
        blueprint: String,
    },
    /// Mark a published version deprecated: renders warn with the message.
    Deprecate {
        /// `NAME@VERSION`.
        blueprint: String,
        /// Why, and what to use instead.
        #[arg(long)]
        message: String,
    },
    /// Yank a published version: it is never chosen for a new resolution again.
    Yank {
        /// `NAME@VERSION`.
        blueprint: String,
    },
    /// Render a version's own test cases with that version (whatever their pins say).
    Render {
        /// `NAME@VERSION`.
        blueprint: String,
        /// Only this test case.
        #[arg(long)]
        case: Option<String>,
        /// Write the file tree to DIR (default: one YAML stream on stdout).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// What moving from one version to another does to rendered output.
    Diff {
        /// `NAME@VERSION` to compare from.
        from: String,
        /// `NAME@VERSION` to compare to.
        to: String,
        /// Apps to render (default: the `from` version's own test cases).
        apps: Vec<PathBuf>,
        /// How to print the differences.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Exit 1 when there are differences.
        #[arg(long)]
        exit_code: bool,
    },
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// App files, or directories searched for `app.yaml`. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// The graph language.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// A Mermaid flowchart (renders in Azure DevOps and GitHub markdown).
    Mermaid,
    /// Graphviz DOT.
    Dot,
    /// An SVG picture, laid out and drawn by paved (no Graphviz needed): teams as boxes, external hosts
    /// apart; past 120 calls, a matrix of calls between teams.
    Svg,
}

#[derive(Debug, Args)]
pub struct OutdatedArgs {
    /// App files, or directories searched for `app.yaml`. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    /// Exit 1 when an app runs a deprecated or yanked version, or is behind what its pin allows.
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Aligned columns, for a terminal.
    Table,
    /// A Markdown table, for a pull request or a wiki page.
    Markdown,
    /// For machines.
    Json,
}

#[derive(Debug, Args)]
pub struct ImagesArgs {
    /// App files, or directories searched for `app.yaml`. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Only these environments (repeatable). Default: every environment.
    #[arg(long = "env", short = 'e', value_name = "ENV")]
    pub envs: Vec<String>,
    /// A tree written by `paved render --out DIR`: apply its `promoted.yaml` files, so the
    /// images are those deployed.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// How to print the images.
    #[arg(long, value_enum, default_value_t = ImagesFormat::Table)]
    pub format: ImagesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImagesFormat {
    /// One row per container: environment, team, app, workload, container, role, image.
    Table,
    /// A Markdown table of the same rows.
    Markdown,
    /// The rows as a JSON array.
    Json,
    /// Each distinct image once, sorted: the input of a scanner or a registry import.
    List,
}

#[derive(Debug, Args)]
pub struct ReportPageArgs {
    /// App files, or directories searched for `app.yaml`. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Where to write `index.html` (created when missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Only these environments (repeatable). Default: every environment.
    #[arg(long = "env", short = 'e', value_name = "ENV")]
    pub envs: Vec<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The app's name (a DNS-1123 label, at most 40 characters).
    pub name: String,
    /// The owning team.
    #[arg(long)]
    pub team: String,
    /// The blueprint: a name (pinned to its newest major, such as `api@1`) or a pin such as `api@1`.
    #[arg(long)]
    pub blueprint: String,
    /// Where to write `app.yaml`. Default: a new directory named after the app.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file's schema.
    #[arg(value_enum, default_value_t = SchemaFile::App)]
    pub file: SchemaFile,
    /// Print the field reference as Markdown instead (`docs/app-file.md`).
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The field, as a dotted path: `replicas`, `replicas.min`, `environments.prod.resources`.
    pub field: String,
    /// Which file's field.
    #[arg(long, value_enum, default_value_t = SchemaFile::App)]
    pub file: SchemaFile,
}

#[derive(Debug, Args)]
#[command(after_help = "Load it in the shell's start-up file, for example:\n  \
    bash:       source <(paved completions bash)          (in ~/.bashrc)\n  \
    zsh:        source <(paved completions zsh)           (in ~/.zshrc, after compinit)\n  \
    fish:       paved completions fish > ~/.config/fish/completions/paved.fish\n  \
    powershell: paved completions powershell | Out-String | Invoke-Expression   (in $PROFILE)")]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells paved writes completion scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFile {
    App,
    Platform,
    Team,
}

impl SchemaFile {
    /// The schema of this file, as paved-spec names it.
    pub fn kind(self) -> SchemaKind {
        match self {
            SchemaFile::App => SchemaKind::App,
            SchemaFile::Platform => SchemaKind::Platform,
            SchemaFile::Team => SchemaKind::Team,
        }
    }
}
