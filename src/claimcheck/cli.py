"""The command line: a thin shell over the library.

Data goes to stdout, progress and errors to stderr. Exit codes:

    0  every input was checked
    1  at least one input failed (its report carries the error; the others were checked)
    2  usage error (bad option, missing evidence folder, malformed evidence)
    3  --fail-on-findings was given and some claim was flagged or a price is illicit
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click
from click.core import ParameterSource

from .acquire.warc import is_warc
from .errors import ClaimcheckError, ConfigError, EvidenceError
from .evidence.base import MARK_STRENGTH, EvidenceBase, lint_evidence, load_evidence, summarize
from .records import FLAGGED_VERDICTS, Report
from .reports import FORMATS, ReportWriter, WriterOptions, report_dir_files, terminal_safe
from .settings import SKIPPABLE_STAGES, Settings, load_config
from .version import __version__

if TYPE_CHECKING:
    from .evaluation.evaluate import Evaluation
    from .pipeline import Checker
    from .reports.store import PageOutcome

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE, EXIT_FINDINGS = 0, 1, 2, 3
STREAMED_FORMATS = ("text", "jsonl", "csv")
"""Formats whose file is whole after every report, so they are written in place as reports
arrive. The others (a JSON array, the HTML page, ClaimReview) go to a temporary file that
is renamed at the end, so a killed run never leaves half of one."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimcheck")
def main() -> None:
    """Audit health-clinic marketing: find claims, check them against cited evidence,
    flag spam-like text and price listings.

    \b
    Examples:
      claimcheck check https://clinic.example/ketamine
      claimcheck check corpora/*.txt --format jsonl > reports.jsonl
      claimcheck eval corpora/
      claimcheck evidence lint
    """


ALLOW_PRIVATE = click.option(
    "--allow-private",
    is_flag=True,
    help="Fetch from localhost and private networks (refused by default, so pages cannot reach internal services).",
)
CONFIG = click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A TOML file of settings and [rules] thresholds; options given on the command line win. "
    "Reports record its hash and the values that differ from the defaults.",
)
RULES_ONLY = click.option(
    "--rules-only",
    is_flag=True,
    help="Flag claims by the verdict rules alone, without the claim model's learned flag.",
)


EVIDENCE = click.option(
    "--evidence",
    "evidence_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Evidence folder [default: $CLAIMCHECK_EVIDENCE or ./evidence].",
)
SKIP = click.option(
    "--skip", multiple=True, type=click.Choice(SKIPPABLE_STAGES), help="Skip a stage (repeatable)."
)
MAX_BYTES = click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=Settings.max_bytes,
    show_default=True,
    help="Size cap per input.",
)
TIMEOUT = click.option(
    "--timeout",
    type=click.FloatRange(0.1),
    default=Settings.timeout_s,
    show_default=True,
    help="Seconds per request.",
)
MAX_REDIRECTS = click.option(
    "--max-redirects",
    type=click.IntRange(0),
    default=Settings.max_redirects,
    show_default=True,
    help="Redirects to follow per URL.",
)
IGNORE_ROBOTS = click.option(
    "--ignore-robots",
    is_flag=True,
    help="Fetch even where robots.txt disallows it (only with the site's permission).",
)
QUIET = click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
WORKERS = click.option(
    "--workers",
    type=click.IntRange(1),
    metavar="N",
    default=1,
    show_default=True,
    help="Check pages in N local processes (models load once in each); reports keep input order.",
)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(tuple(FORMATS)),
    default="text",
    show_default=True,
    help="text: readable summary; jsonl: one report per line; json: an array; csv: one row per flag; "
    "html: the audit report; claimreview: schema.org ClaimReview JSON-LD per flagged claim (needs --reviewer).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of stdout.",
)
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write reports.jsonl, findings.csv, prices.csv, spam.csv and report.html into this folder "
    "(and claimreview.json with --reviewer).",
)
@click.option("--all-claims", is_flag=True, help="CSV: a row for every claim, not only the flagged ones.")
@click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 byte-order mark, for Excel.")
@click.option(
    "--reviewer",
    metavar="NAME",
    default=None,
    help="ClaimReview: the person or organisation that stands behind the reviews.",
)
@EVIDENCE
@SKIP
@MAX_BYTES
@TIMEOUT
@MAX_REDIRECTS
@IGNORE_ROBOTS
@click.option(
    "--page-timeout",
    type=click.FloatRange(0, min_open=True),
    default=Settings.page_timeout_s,
    show_default=True,
    help="Seconds one input may take, fetch to verdicts; past it that input fails and the rest go on.",
)
@ALLOW_PRIVATE
@click.option("--debug", is_flag=True, help="Print the traceback of any internal error on stderr.")
@click.option(
    "--fail-on-findings",
    is_flag=True,
    help="Exit 3 when a claim is flagged or a price is an illicit-sale signal.",
)
@RULES_ONLY
@CONFIG
@QUIET
@WORKERS
def check(
    inputs: tuple[str, ...],
    fmt: str,
    output: Path | None,
    report_dir: Path | None,
    all_claims: bool,
    excel: bool,
    reviewer: str | None,
    evidence_dir: Path | None,
    skip: tuple[str, ...],
    max_bytes: int,
    timeout: float,
    max_redirects: int,
    ignore_robots: bool,
    page_timeout: float,
    allow_private: bool,
    debug: bool,
    fail_on_findings: bool,
    rules_only: bool,
    config_path: Path | None,
    quiet: bool,
    workers: int,
) -> None:
    """Check each INPUT: an http(s):// URL, an .html/.htm file, a .txt file, or - for stdin.

    \b
    Exit codes: 0 all checked; 1 some input failed (reported, the rest
    checked); 2 usage or evidence error; 3 findings (with --fail-on-findings).

    \b
    Examples:
      claimcheck check page.html
      claimcheck check --format jsonl corpora/*.txt > reports.jsonl
      claimcheck check --workers 2 --format csv pages/*.html > findings.csv
      curl -s https://clinic.example | claimcheck check - --format json
    """
    settings = _settings(
        config_path,
        timeout_s=("timeout", timeout),
        max_bytes=("max_bytes", max_bytes),
        max_redirects=("max_redirects", max_redirects),
        respect_robots=("ignore_robots", not ignore_robots),
        allow_private=("allow_private", allow_private),
        page_timeout_s=("page_timeout", page_timeout),
        evidence_dir=("evidence_dir", evidence_dir),
        learned_flags=("rules_only", not rules_only),
    )
    if fmt == "claimreview" and not reviewer:
        raise click.UsageError("--format claimreview needs --reviewer NAME: who stands behind the reviews")
    options = WriterOptions(all_claims=all_claims, excel=excel, reviewer=reviewer)
    if debug:
        _debug_to_stderr()
    _require_evidence(settings, skip)
    checker = _checker(settings, skip)
    total = 0 if any(map(is_warc, inputs)) else len(inputs)  # an archive holds an unknown number of pages
    reports = _with_progress(_check_inputs(checker, inputs, workers), total, quiet)
    tally = _write(reports, fmt, output, report_dir, options)
    if report_dir is not None and not quiet:
        click.echo(f"wrote {', '.join(report_dir_files(options))} to {report_dir}/", err=True)
    sys.exit(tally.exit_code(fail_on_findings))


@main.command(name="eval")
@click.argument("corpora", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--folds", type=click.IntRange(2), default=5, show_default=True, help="Cross-validation folds (by page)."
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Score every page with this saved claim model instead of cross-validating "
    "(for pages the model was never trained on).",
)
@click.option("--shipped-model", is_flag=True, help="Like --model, with the bundled claim model.")
@click.option(
    "--also-train-on",
    "also_train_on",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Add every page of this annotated folder to each fold's training data (repeatable); "
    "the shipped model is trained on corpora/ and the real development set.",
)
@RULES_ONLY
@CONFIG
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--evidence", "evidence_dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option(
    "--external",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Instead, score the parts of claimcheck that the public labelled sets in this folder "
    "test (normally ../shared/datasets), one line per set.",
)
@click.option(
    "--limit", type=click.IntRange(1), default=4000, show_default=True, help="With --external: items per set."
)
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write every disagreement with the gold (missed or extra claims, missed or false flags, "
    "with the pipeline's verdict and explanation) to this file, one JSON object per line. It quotes "
    "the pages: keep it out of the repository when they come from ../shared.",
)
def eval_command(
    corpora: tuple[Path, ...],
    folds: int,
    model_path: Path | None,
    shipped_model: bool,
    also_train_on: tuple[Path, ...],
    rules_only: bool,
    config_path: Path | None,
    as_json: bool,
    evidence_dir: Path | None,
    external: Path | None,
    limit: int,
    errors_path: Path | None,
) -> None:
    """Score claims, verdicts, retrieval, spam and prices against the gold files of CORPORA.

    Each folder is in the project's layout (NAME.txt/.html beside NAME.gold.yaml) or a
    real-page set's (pages/NN.json and gold/NN.json, as in
    ../shared/datasets/clinic_pages_dev); with none given, corpora/ is scored. The claim
    classifier is cross-validated by page: each page is scored by a model that never saw
    it. Given several folders, each is scored on its own, every fold's model also
    learning from all pages of the other folders (the shipped model's recipe), and the
    figures are printed side by side. To score newly annotated pages with the model as
    shipped, pass --shipped-model (or --model FILE for one saved by `claimcheck train -o FILE`).

    \b
    Examples:
      claimcheck eval corpora/ --folds 5
      claimcheck eval corpora/ ../shared/datasets/clinic_pages_dev
      claimcheck eval new-pages/ --shipped-model --json
      claimcheck eval --external ../shared/datasets
      claimcheck eval ../shared/datasets/clinic_pages_dev --errors build/dev-errors.jsonl
    """
    from .claims.detect import ClaimModel, bundled_model_path
    from .evaluation.evaluate import evaluate
    from .evidence.embedding import default_embedder

    if external is not None:
        if errors_path is not None:
            raise click.UsageError("--errors lists disagreements on annotated pages; --external has none")
        _eval_external(external, limit, as_json)
        return

    if shipped_model and model_path:
        raise click.UsageError("give --model FILE or --shipped-model, not both")
    if also_train_on and (shipped_model or model_path):
        raise click.UsageError(
            "--also-train-on adds training data to cross-validation; it has no use with a given model"
        )
    settings = _settings(
        config_path, evidence_dir=("evidence_dir", evidence_dir), learned_flags=("rules_only", not rules_only)
    )
    _require_evidence(settings, ())
    if shipped_model:
        model_path = bundled_model_path()
    model = ClaimModel.load(model_path, default_embedder()) if model_path else None
    corpora = corpora or (Path("corpora"),)
    evaluations = {
        str(corpus): evaluate(
            corpus,
            settings,
            folds=folds,
            progress=lambda m: click.echo(m, err=True),
            model=model,
            also_train_on=[
                *(other for other in corpora if other != corpus and model is None),
                *also_train_on,
            ],
        )
        for corpus in corpora
    }
    if errors_path is not None:
        _write_mismatches(evaluations, errors_path)
    results = {corpus: evaluation.as_dict() for corpus, evaluation in evaluations.items()}
    if as_json:
        click.echo(json.dumps(results if len(results) > 1 else results[str(corpora[0])], indent=2))
    elif len(results) == 1:
        click.echo(_eval_table(results[str(corpora[0])]))
    else:
        click.echo(_eval_columns(results))


@main.command()
@click.argument("corpora", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to save the claim model [default: the bundled claimcheck/data/claim_model.npz].",
)
@click.option(
    "--spun-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the spun-text model's spun_model.npz and .json [default: the bundled claimcheck/data/].",
)
@click.option(
    "--only",
    type=click.Choice(["claims", "spun", "static"]),
    default=None,
    help="Train one model only: the claim classifier, the spun-text classifier, or the static "
    "embedding (distilled from MiniLM; not part of a plain `train`: retrain the claim model after it).",
)
def train(corpora: tuple[Path, ...], output: Path | None, spun_dir: Path | None, only: str | None) -> None:
    """Train the claim classifier on every annotated page of CORPORA, and the spun-text
    classifier on spins of training/spam/ (run from the repository root); save both.

    Each folder is in the project's layout or a real-page set's (see `claimcheck eval`);
    with none given, corpora/ is used. The spun-text figures on held-out sentences are
    printed as JSON.

    \b
    Examples (after adding annotations):
      claimcheck train corpora/ ../shared/datasets/clinic_pages_dev && claimcheck eval corpora/
      claimcheck train --only spun
      claimcheck train --only static && claimcheck train --only claims corpora/
    """
    from .signals.spun import MODEL_DIR
    from .train.claims import train_claim_model
    from .train.spinner import train_spun_model
    from .train.static import distill_static

    try:
        if only == "static":
            click.echo(f"saved static embedding to {distill_static()}", err=True)
            return
        if only != "spun":
            train_claim_model(corpora or (Path("corpora"),), output)
            click.echo(f"saved claim model to {output or 'claimcheck/data/claim_model.npz'}", err=True)
        if only != "claims":
            figures = train_spun_model(out_dir=spun_dir or MODEL_DIR)
            click.echo(json.dumps(figures["held_out"], indent=2))
            click.echo(f"saved spun-text model to {spun_dir or 'claimcheck/data/'}", err=True)
    except (OSError, ClaimcheckError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_USAGE)


@main.group()
def evidence() -> None:
    """Validate and browse the evidence base."""


@evidence.command()
@click.argument("folder", type=click.Path(path_type=Path), default=None, required=False)
def lint(folder: Path | None) -> None:
    """Validate the evidence base (schema, ids, DOIs/PMIDs, bounds, references).

    Reports every problem of every file in one run, grouped by file, one per line
    as FILE:LINE [FIELD]: PROBLEM, and exits 2 if there is any.

    \b
    Example:
      claimcheck evidence lint evidence/
    """
    root = folder or Settings().evidence_path
    problems = lint_evidence(root)
    by_file: dict[str, list[EvidenceError]] = {}
    for problem in sorted(problems, key=lambda p: (p.path, p.line or 0)):
        by_file.setdefault(problem.path, []).append(problem)
    for i, group in enumerate(by_file.values()):
        click.echo("\n" * (i > 0) + "\n".join(map(str, group)))
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(by_file)} file(s) under {root}", err=True)
        sys.exit(EXIT_USAGE)
    base = load_evidence(root)
    click.echo(
        f"ok: {len(base.entries)} entries in {len(base.domains)} domain(s); hash {base.content_hash[:16]}",
        err=True,
    )


@evidence.command(name="list")
@click.option("--domain", default=None, help="Only this domain.")
def list_entries(domain: str | None) -> None:
    """List entries: id, domain, kind, certainty, sources.

    \b
    Example:
      claimcheck evidence list --domain tms
    """
    base = _load_or_exit(Settings().evidence_path)
    for located in base.entries:
        if domain in (None, located.domain):
            e = located.entry
            click.echo(f"{e.id}\t{located.domain}\t{e.kind}\t{e.certainty or '-'}\t{e.source_names}")


@evidence.command()
@click.option(
    "--markdown", is_flag=True, help="A Markdown table (as in the README) instead of tab-separated lines."
)
def summary(markdown: bool) -> None:
    """Per domain: its title, its entry count and how many entries carry each verification mark.

    \b
    Example:
      claimcheck evidence summary --markdown
    """
    base = _load_or_exit(Settings().evidence_path)
    marks = list(MARK_STRENGTH)[::-1]
    header = ["domain", "title", "entries", *marks]
    rows = [[s.domain, s.title, str(s.entries), *(str(s.marks[m]) for m in marks)] for s in summarize(base)]
    if markdown:
        lines = [header, ["---"] * len(header), *rows]
        click.echo(
            "\n".join("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in lines)
        )
    else:
        click.echo("\n".join("\t".join(row) for row in [header, *rows]))


@evidence.command()
@click.argument("entry_id")
def show(entry_id: str) -> None:
    """Show one entry in full, as JSON.

    \b
    Example:
      claimcheck evidence show ket-iv-single-response-24h
    """
    base = _load_or_exit(Settings().evidence_path)
    try:
        located = base.get(entry_id)
    except KeyError as error:
        click.echo(f"error: {error.args[0]}", err=True)
        sys.exit(EXIT_USAGE)
    data = {"file": f"{located.path}:{located.line}", **located.entry.model_dump(mode="json")}
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _settings(config_path: Path | None, **options: tuple[str, Any]) -> Settings:
    """The configuration file's settings (or the defaults), with every option the user gave on top.

    ``options`` maps a Settings field to (click parameter name, value); a parameter left at its
    default does not override the file.
    """
    try:
        settings = load_config(config_path) if config_path else Settings()
    except ConfigError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    context = click.get_current_context()
    given: dict[str, Any] = {
        name: value
        for name, (parameter, value) in options.items()
        if context.get_parameter_source(parameter) is not ParameterSource.DEFAULT
    }
    return replace(settings, **given)


def _require_evidence(settings: Settings, skip: tuple[str, ...]) -> None:
    if "verdicts" not in skip:
        _load_or_exit(settings.evidence_path)


def _load_or_exit(root: Path) -> EvidenceBase:
    try:
        return load_evidence(root)
    except ClaimcheckError as error:
        click.echo(f"error: evidence: {error} (run `claimcheck evidence lint {root}`)", err=True)
        sys.exit(EXIT_USAGE)


def _checker(settings: Settings, skip: tuple[str, ...]) -> Checker:
    """The pipeline, imported here: commands that check nothing (``--help``, ``evidence``) start fast."""
    from .pipeline import Checker

    return Checker(settings, skip=frozenset(skip))


def _check_inputs(checker: Checker, inputs: tuple[str, ...], workers: int = 1) -> Iterator[Report]:
    """Reports in input order; a WARC archive (.warc, .warc.gz) gives one report per page archived in it.

    With ``workers`` > 1, pages (not archives) are checked in that many local processes.
    """
    from .acquire.warc import read_pages
    from .workers import check_sources

    for warc, group in groupby(inputs, key=is_warc):
        if not warc:
            pages = list(group)
            yield from check_sources(checker, pages, workers) if workers > 1 else checker.check_many(pages)
            continue
        for path in group:
            try:
                yield from (checker.check_page(page) for page in read_pages(Path(path), checker.settings))
            except ClaimcheckError as error:
                yield Report(source=path, error=f"{type(error).__name__}: {error}")


def _debug_to_stderr() -> None:
    """Send claimcheck's own log, tracebacks of internal errors included, to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("claimcheck")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)


def _with_progress(reports: Iterator[Report], total: int, quiet: bool) -> Iterator[Report]:
    for i, report in enumerate(reports, start=1):
        if not quiet:
            status = f"error: {report.error}" if report.error else f"{len(report.claims)} claims"
            notes = "".join(f"; warning: {warning}" for warning in report.warnings)
            click.echo(terminal_safe(f"[{i}/{total or '?'}] {report.source}: {status}{notes}"), err=True)
        yield report


@dataclass
class _Tally:
    """What the exit code needs to know about the reports written, without keeping them."""

    failed: bool = False
    flagged: bool = False

    def add(self, report: Report) -> None:
        self.failed = self.failed or report.error is not None
        self.flagged = self.flagged or (
            any(c.verdict in FLAGGED_VERDICTS for c in report.claims) or any(p.illicit for p in report.prices)
        )

    def exit_code(self, fail_on_findings: bool) -> int:
        if self.failed:
            return EXIT_INPUT_FAILED
        return EXIT_FINDINGS if fail_on_findings and self.flagged else EXIT_OK


def _write(
    reports: Iterator[Report], fmt: str, output: Path | None, report_dir: Path | None, options: WriterOptions
) -> _Tally:
    """Hand each report, as it arrives, to the chosen format and to every --report-dir file.

    Nothing here keeps the reports: memory does not grow with the batch (the HTML writer
    alone keeps what its overview needs). Files in ``STREAMED_FORMATS`` (in --report-dir:
    the .jsonl and .csv files) are written in place; the others appear, whole, at the end.
    """
    tally = _Tally()
    with ExitStack() as files:
        stream = files.enter_context(_opened(output, fmt in STREAMED_FORMATS)) if output else sys.stdout
        writers: list[ReportWriter] = [FORMATS[fmt](stream, options)]
        if report_dir is not None:
            report_dir.mkdir(parents=True, exist_ok=True)
            for name, factory in report_dir_files(options).items():
                streamed = name.endswith((".jsonl", ".csv"))
                if not streamed:
                    (report_dir / name).unlink(missing_ok=True)
                writers.append(factory(files.enter_context(_opened(report_dir / name, streamed)), options))
        for report in reports:
            tally.add(report)
            for writer in writers:
                writer.add(report)
        for writer in writers:
            writer.close()
    return tally


@contextmanager
def _opened(path: Path, streamed: bool) -> Iterator[TextIO]:
    """``path`` open for writing: in place if ``streamed``, else through a temporary file beside it
    that replaces ``path`` only once the block has finished (a reader sees no file or a whole one)."""
    target = path if streamed else path.with_name(f".{path.name}.partial")
    try:
        with target.open("w", encoding="utf-8", newline="") as file:
            yield file
    except BaseException:
        if not streamed:
            target.unlink(missing_ok=True)
        raise
    if not streamed:
        os.replace(target, path)


_SIDE_BY_SIDE = (
    ("claim detection P / R / F1", "claim_detection", None),
    ("claim kinds (micro) F1", "kinds_micro.f1", None),
    ("overstatement P / R / F1", "overstatement", None),
    ("verdict accuracy (matched)", "verdict_accuracy", "verdicts_scored"),
    ("retrieval recall@3", "retrieval_recall_at_3", "retrieval_scored"),
    ("spam P / R / F1", "spam", None),
    ("prices P / R / F1", "prices", None),
    ("offer recall (gold offers)", "offer_recall", "offers_gold"),
    ("illicit-signal recall", "illicit_recall", "illicit_gold"),
)
"""Rows of the side-by-side table: label, figure, and the count that must be non-zero for it to mean anything."""


def _eval_columns(results: dict[str, dict[str, object]]) -> str:
    """Several corpora's figures side by side, one column per corpus."""

    def cell(result: dict[str, object], key: str, needs: str | None) -> str:
        if needs is not None and not result[needs]:
            return "n/a (no gold)"
        name, _, part = key.partition(".")
        value = result[name]
        if isinstance(value, dict) and part:
            value = value[part]
        if isinstance(value, dict):
            return _prf(value)
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    names = list(results)
    width = max(24, *(len(n) for n in names))
    rows = [f"{'':<28}" + "".join(f"{n:>{width + 2}}" for n in names)]
    rows.append(f"{'pages':<28}" + "".join(f"{r['pages']!s:>{width + 2}}" for r in results.values()))
    for label, key, needs in _SIDE_BY_SIDE:
        rows.append(f"{label:<28}" + "".join(f"{cell(r, key, needs):>{width + 2}}" for r in results.values()))
        if key == "overstatement":
            rows += _genre_rows(results, width)
    return "\n".join(rows)


def _genre_rows(results: dict[str, dict[str, object]], width: int) -> list[str]:
    """Overstatement on each genre of page the gold names, one row per genre ("-" where a corpus has none)."""
    by_genre = {name: _genres(result) for name, result in results.items()}
    genres = sorted({genre for counts in by_genre.values() for genre in counts})
    rows = []
    for genre in genres:
        cells = [_prf(counts[genre]) if genre in counts else "-" for counts in by_genre.values()]
        rows.append(f"{'  ' + genre:<28}" + "".join(f"{c:>{width + 2}}" for c in cells))
    return rows


def _genres(result: dict[str, object]) -> dict[str, dict[str, float]]:
    by_genre = result.get("overstatement_by_genre")
    return by_genre if isinstance(by_genre, dict) else {}


def _prf(counts: dict[str, float]) -> str:
    if not counts["tp"] + counts["fp"] + counts["fn"]:
        return "n/a (none flagged)"
    return f"{counts['precision']:.3f} / {counts['recall']:.3f} / {counts['f1']:.3f}"


def _write_mismatches(evaluations: dict[str, Evaluation], path: Path) -> None:
    """Every disagreement of every folder with its gold, one JSON object per line, folder by folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for corpus, evaluation in evaluations.items():
            for mismatch in evaluation.mismatches:
                out.write(json.dumps({"corpus": corpus, **mismatch.as_dict()}, ensure_ascii=False) + "\n")
    count = sum(len(e.mismatches) for e in evaluations.values())
    click.echo(f"wrote {count} disagreement(s) with the gold to {path}", err=True)


def _eval_external(root: Path, limit: int, as_json: bool) -> None:
    """The public-set report (see :mod:`claimcheck.evaluation.evaluate_external`); exit 2 when the sets are absent."""
    from .evaluation.evaluate_external import ExternalDataMissing, evaluate_external, render

    try:
        results = evaluate_external(root, limit, progress=lambda m: click.echo(m, err=True))
    except ExternalDataMissing as missing:
        click.echo(f"claimcheck eval --external: {missing}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(json.dumps([r.as_dict() for r in results], indent=2) if as_json else render(results))


def _counted(label: str, figure: object, n: object) -> str:
    """One figure with the count it rests on; "n/a" where the gold has nothing to count."""
    shown = f"{figure:.3f}" if n and isinstance(figure, float | int) else "n/a (no gold)"
    return f"{label:<28} {shown}  (n={n})"


def _eval_table(result: dict[str, object]) -> str:
    def prf(name: str, counts: object) -> str:
        c = counts if isinstance(counts, dict) else {}
        return f"{name:<28} P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}  (tp {c['tp']}, fp {c['fp']}, fn {c['fn']})"

    kinds = result["kinds"] if isinstance(result["kinds"], dict) else {}
    currencies = result["prices_by_currency"] if isinstance(result["prices_by_currency"], dict) else {}
    lines = [
        f"pages: {result['pages']} (claim classifier: {result['claim_model']})",
        prf("claim detection", result["claim_detection"]),
        prf("claim kinds (micro)", result["kinds_micro"]),
        *(prf(f"  kind {k}", v) for k, v in kinds.items()),
        prf("overstatement", result["overstatement"]),
        *(prf(f"  on {genre} pages", counts) for genre, counts in _genres(result).items()),
        _counted("verdict accuracy (matched)", result["verdict_accuracy"], result["verdicts_scored"]),
        _counted("retrieval recall@3", result["retrieval_recall_at_3"], result["retrieval_scored"]),
        f"{'spam accuracy':<28} {result['spam_accuracy']:.3f}",
        prf("spam (spam class)", result["spam"]),
        prf("prices", result["prices"]),
        *(prf(f"  prices in {c}", v) for c, v in currencies.items()),
        f"{'offer recall (gold offers)':<28} {result['offer_recall']:.3f}  (n={result['offers_gold']})",
        _counted("illicit-signal recall", result["illicit_recall"], result["illicit_gold"]),
    ]
    return "\n".join(lines)


def _parse_shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise click.BadParameter("give it as I/N with 1 <= I <= N, e.g. 2/4")
    return int(index), int(count)


DB = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("claimcheck.db"),
    show_default=True,
    help="The SQLite store (created if absent).",
)


@main.command()
@click.argument("urls", nargs=-1)
@click.option(
    "--sites",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file with one site URL per line (# comments allowed).",
)
@DB
@click.option("--max-pages", type=click.IntRange(1), default=100, show_default=True, help="Pages per site.")
@click.option(
    "--depth", type=click.IntRange(0), default=3, show_default=True, help="Link hops from the seed URL."
)
@click.option(
    "--delay",
    type=click.FloatRange(0),
    default=1.0,
    show_default=True,
    help="Seconds between requests to one host (robots.txt Crawl-delay wins when larger).",
)
@click.option(
    "--per-host", type=click.IntRange(1), default=2, show_default=True, help="Requests in flight per host."
)
@click.option(
    "--concurrency", type=click.IntRange(1), default=8, show_default=True, help="Requests in flight in all."
)
@click.option("--no-sitemaps", is_flag=True, help="Discover pages by links only.")
@click.option(
    "--warc",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive every page as fetched into this WARC file (.warc.gz to compress).",
)
@click.option(
    "--from-warc",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Audit the pages archived in this WARC instead of fetching.",
)
@click.option(
    "--shard",
    callback=_parse_shard,
    help="Audit only the sites of shard I of N (by a hash of the site); merge the stores with `claimcheck merge`.",
)
@click.option("--new-run", is_flag=True, help="Start a new run even if an unfinished one matches.")
@WORKERS
@click.option(
    "--dask",
    "scheduler",
    metavar="ADDRESS",
    help="Check pages on the Dask cluster whose scheduler is at ADDRESS, e.g. tcp://scheduler:8786 "
    "(needs claimcheck[dask] here and on the workers); this process alone writes --db.",
)
@EVIDENCE
@SKIP
@MAX_BYTES
@TIMEOUT
@IGNORE_ROBOTS
@ALLOW_PRIVATE
@RULES_ONLY
@CONFIG
@QUIET
def audit(
    urls: tuple[str, ...],
    sites: Path | None,
    db: Path,
    max_pages: int,
    depth: int,
    delay: float,
    per_host: int,
    concurrency: int,
    no_sitemaps: bool,
    warc: Path | None,
    from_warc: Path | None,
    shard: tuple[int, int] | None,
    new_run: bool,
    workers: int,
    scheduler: str | None,
    evidence_dir: Path | None,
    skip: tuple[str, ...],
    max_bytes: int,
    timeout: float,
    ignore_robots: bool,
    allow_private: bool,
    rules_only: bool,
    config_path: Path | None,
    quiet: bool,
) -> None:
    """Crawl each site (from its sitemaps and links), check every page, and keep it all in --db.

    The same command on the same --db resumes an unfinished run: pages already stored
    are not fetched again. Exit 0 when every page was checked or skipped (non-HTML,
    robots.txt), 1 when some page failed, 2 on usage errors.

    Checking is the slow part: --workers N checks pages in N processes on this machine,
    --dask ADDRESS on the workers of a Dask cluster. Either way the reports are the same
    and only this process writes --db, so resuming works as before.

    \b
    Examples:
      claimcheck audit https://clinic.example --max-pages 200 --db audit.db
      claimcheck audit --sites sites.txt --warc capture.warc.gz --shard 1/4 --db shard1.db
      claimcheck audit --from-warc capture.warc.gz --db reaudit.db
      claimcheck audit --sites sites.txt --workers 4 --db audit.db
      claimcheck audit --sites sites.txt --dask tcp://scheduler:8786 --db audit.db
      datasette audit.db
    """
    from .acquire.crawl import CrawlOptions
    from .acquire.warc import WarcArchive
    from .audit import crawl_audit, in_shard, read_sites_file, unique, warc_audit
    from .reports.store import Store
    from .workers import check_pool

    seeds = unique([*urls, *(read_sites_file(sites) if sites else [])])
    if bool(seeds) == bool(from_warc):
        raise click.UsageError("give site URLs (or --sites FILE), or --from-warc FILE, not both")
    if scheduler is not None and workers > 1:
        raise click.UsageError("give --workers N (local processes) or --dask ADDRESS (a cluster), not both")
    settings = _settings(
        config_path,
        timeout_s=("timeout", timeout),
        max_bytes=("max_bytes", max_bytes),
        respect_robots=("ignore_robots", not ignore_robots),
        allow_private=("allow_private", allow_private),
        evidence_dir=("evidence_dir", evidence_dir),
        learned_flags=("rules_only", not rules_only),
    )
    _require_evidence(settings, skip)
    checker = _checker(settings, skip)
    options = CrawlOptions(max_pages, depth, delay, per_host, concurrency, sitemaps=not no_sitemaps)
    try:
        with (
            check_pool(checker, workers=workers, scheduler=scheduler) as pool,
            Store(db) as store,
            store.exclusive(),
            _audit_progress(quiet) as listener,
        ):
            if from_warc is not None:
                summary = warc_audit(
                    from_warc, store, checker, listener=listener, resume=not new_run, pool=pool
                )
            else:
                mine = [seed for seed in seeds if in_shard(seed, shard)]
                archive = WarcArchive(warc) if warc else None
                try:
                    summary = crawl_audit(
                        mine,
                        store,
                        checker,
                        options,
                        warc=archive,
                        listener=listener,
                        resume=not new_run,
                        shard=shard,
                        pool=pool,
                    )
                finally:
                    if archive is not None:
                        archive.close()
    except ClaimcheckError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    if not quiet:
        click.echo(f"{summary.line()} -> {db}", err=True)
    sys.exit(EXIT_INPUT_FAILED if summary.errors else EXIT_OK)


@main.command()
@click.argument("run_a", type=int, required=False)
@click.argument("run_b", type=int, required=False)
@DB
@click.option(
    "--db-b",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read RUN_B from this store instead of --db (two audits kept in two files).",
)
@click.option(
    "--format", "fmt", type=click.Choice(("text", "jsonl", "csv")), default="text", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout."
)
def diff(
    run_a: int | None, run_b: int | None, db: Path, db_b: Path | None, fmt: str, output: Path | None
) -> None:
    """List claims added, removed, reworded or changed in verdict or severity between two audit runs.

    Without RUN_A and RUN_B, the last two runs in --db are compared. Claims are matched
    by stable claim id, then by text similarity.

    \b
    Examples:
      claimcheck diff --db audit.db            # the last two runs
      claimcheck diff --db audit.db 3 7 --format csv -o changes.csv
      claimcheck diff --db january.db 1 1 --db-b june.db --format jsonl
    """
    from .reports import diff as diffing
    from .reports.store import Store, StoreError

    try:
        with Store(db) as store_a, Store(db_b or db) as store_b:
            a, b = _diff_runs(store_a, store_b, run_a, run_b)
            changes = diffing.diff_runs(diffing.run_claims(store_a, a), diffing.run_claims(store_b, b))
    except StoreError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    render = {"text": diffing.to_text, "jsonl": diffing.to_jsonl, "csv": diffing.to_csv}[fmt]
    text = render(changes)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


def _diff_runs(store_a: object, store_b: object, run_a: int | None, run_b: int | None) -> tuple[int, int]:
    from .reports.store import Store, StoreError

    assert isinstance(store_a, Store) and isinstance(store_b, Store)
    if run_a is not None and run_b is not None:
        return run_a, run_b
    if run_a is not None or store_a.path != store_b.path:
        raise StoreError("give both RUN_A and RUN_B (or neither, to compare the last two runs of one --db)")
    runs = store_a.runs()
    if len(runs) < 2:
        raise StoreError(f"{store_a.path} has {len(runs)} run(s); a diff needs two")
    return runs[-2].id, runs[-1].id


@main.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.argument(
    "shards", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def merge(target: Path, shards: tuple[Path, ...]) -> None:
    """Copy every run of each SHARD store into TARGET (created if absent), e.g. after `audit --shard I/N`.

    \b
    Example:
      claimcheck merge audit.db shard1.db shard2.db shard3.db
    """
    from .reports.store import Store

    with Store(target) as into, into.exclusive():
        for path in shards:
            with Store(path) as shard_store:
                ids = into.merge_from(shard_store)
            click.echo(f"{path}: runs {', '.join(map(str, ids)) or 'none'} added to {target}", err=True)


@main.command()
@DB
def runs(db: Path) -> None:
    """List the runs in a store: id, status, start, end, pages, and what was audited."""
    from .reports.store import Store

    with Store(db) as store:
        for run in store.runs():
            what = run.config.get("seeds") or run.config.get("from_warc")
            click.echo(
                f"{run.id}\t{run.status}\t{run.started_at}\t{run.ended_at or '-'}\t{run.pages}\t{what}"
            )


@contextmanager
def _audit_progress(quiet: bool) -> Iterator[Callable[[PageOutcome, int], None] | None]:
    """A rich progress bar on stderr (pages done/known, pages/s, ETA, errors), when stderr is a terminal."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} pages/s"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[errors]} errors"),
    )
    started = time.monotonic()
    done = errors = 0
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("audit", total=None, rate=0.0, errors=0)

        def advance(outcome: PageOutcome, known: int) -> None:
            nonlocal done, errors
            done += 1
            errors += outcome.status == "error"
            rate = done / max(time.monotonic() - started, 1e-6)
            progress.update(task, completed=done, total=max(known, done), rate=rate, errors=errors)

        yield advance
