"""The agency's main window (机构汇总 mode): a navigation list on the left, one page per task.

Layout: a header with the title and the batch selector (the batches kept in the agency workspace,
`AgencyWorkspace.batches()`), then the navigation list and the pages. This module builds the
first two pages itself: 机构密钥 (`AgencyKeysPage`) and 生成批次 (`BatchWizard`).

Hook for the other agency screens (导入评分表, 汇总结果, 专家组意见, …):

    window.add_page(name, widget)        # appended to the navigation, in call order

- A page that has `set_context(ctx: AgencyContext | None)` (ui/agency/agency_context.py) is given the
  context of the selected batch whenever the selection changes (and at once when added), and None
  when no batch is selected or the batch cannot be opened. The window owns the opened batch and the
  workspace: pages never close them.
- Pages are added by a function `add_agency_pages(window: AgencyWindow) -> None` in the page
  author's module; list that module in `PAGE_MODULES` below. A module that cannot be imported (or
  has no such function) is skipped with a log line, so a half-built screen never stops the window.
- `window.workspace` (AgencyWorkspace), `window.identity()` (the text of agency.agekey or None;
  a sealed agency.agekey is unlocked once per session: the passphrase is asked through
  `window.ask_key_passphrase(error)` the first time, or taken from the keys page or the batch
  wizard when they were just given it),
  `window.refresh_batches(select=batch_id)` and the `batchChanged(str)` signal are there for pages.

Everything a page writes goes through the workspace; the window itself only reads it.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.errors import Rejected, message
from tic_desktop.paths import resources_dir
from tic_desktop.ui.common.screen_fit import place_window

log = logging.getLogger(__name__)

PAGE_MODULES: tuple[str, ...] = ("tic_desktop.ui.agency.agency_pages", "tic_desktop.ui.agency.pool_pages",
                                 "tic_desktop.ui.agency.scan_pages", "tic_desktop.ui.agency.round_pages")
"""Modules with `add_agency_pages(window)`, called in this order after the window's own pages."""


class AgencyWindow(QMainWindow):
    batchChanged = Signal(str)  # noqa: N815 - Qt signal naming; "" when no batch is selected
    expertModeRequested = Signal()  # noqa: N815
    closing = Signal()

    def __init__(self, agency_dir: Path, lang: str = "zh", *, demo: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from tic_desktop.agency.service import open_workspace  # noqa: PLC0415

        self.lang = lang
        self.demo = demo
        self.agency_dir = Path(agency_dir)
        self.keys_dir = self.agency_dir / "keys"
        self.ws_path = self.agency_dir / "agency.db"
        self.workspace = open_workspace(self.ws_path, check_location=not demo)
        self._opened: Any = None
        self._context: Any = None
        self._unlocked: tuple[str, bytes] | None = None
        """(identity text, passphrase) of the sealed agency keys, once unlocked in this session."""
        self.ask_key_passphrase: Callable[[str], str | None] = self._ask_key_passphrase
        self._pages: list[tuple[str, QWidget]] = []
        self.setWindowIcon(QIcon(str(resources_dir() / "icons" / "tic-desktop.png")))
        self.setWindowTitle(self._title())
        place_window(self)
        self._build()
        from tic_desktop.ui.agency.agency_keys_page import AgencyKeysPage  # noqa: PLC0415
        from tic_desktop.ui.agency.batch_wizard import BatchWizard  # noqa: PLC0415

        self.keys_page = AgencyKeysPage(self.keys_dir, self.agency_dir, lang, self)
        self.wizard = BatchWizard(self.keys_dir, self.agency_dir, self.ws_path, lang=lang, parent=self, demo=demo)
        self.wizard.session_passphrase = lambda: self._unlocked[1] if self._unlocked else None
        self.wizard.on_unlocked = self.remember_unlock
        self.add_page(self.tr("机构密钥"), self.keys_page)
        self.add_page(self.tr("生成批次"), self.wizard)
        self._install_other_pages()
        self._connect()
        self.refresh_batches()
        self.nav.setCurrentRow(0 if not self.keys_page.has_keys() else 1)

    def _title(self) -> str:
        title = self.tr("天津市技术创新中心 机构汇总")
        return title + self.tr("（演示）") if self.demo else title

    def _build(self) -> None:
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(12, 10, 12, 8)
        header = QHBoxLayout()
        self.titleLabel = QLabel(self._title(), central)
        font = QFont(self.titleLabel.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.titleLabel.setFont(font)
        header.addWidget(self.titleLabel)
        header.addStretch(1)
        self.batchLabel = QLabel(self.tr("当前批次："), central)
        header.addWidget(self.batchLabel)
        self.batchCombo = QComboBox(central)
        self.batchCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.batchCombo.setMinimumContentsLength(24)  # long titles are elided, never widen the window
        self.batchCombo.setAccessibleName(self.tr("当前批次"))
        self.batchLabel.setBuddy(self.batchCombo)
        header.addWidget(self.batchCombo)
        outer.addLayout(header)
        body = QHBoxLayout()
        self.nav = QListWidget(central)
        self.nav.setAccessibleName(self.tr("功能导航"))
        self.nav.setFixedWidth(170)
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        self.nav.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 8px 6px; }")
        body.addWidget(self.nav)
        self.stack = QStackedWidget(central)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        menu = self.menuBar().addMenu(self.tr("机构(&A)"))
        self.expertAction = QAction(self.tr("切换到专家评审(&E)"), self)
        self.quitAction = QAction(self.tr("退出(&Q)"), self)
        menu.addAction(self.expertAction)
        menu.addSeparator()
        menu.addAction(self.quitAction)
        self.quitAction.setShortcut(QKeySequence("Ctrl+Q"))
        # every page by keyboard: 转到 menu with Ctrl+1…Ctrl+9 (the list itself: arrows, after Tab)
        self.pagesMenu = self.menuBar().addMenu(self.tr("转到(&G)"))
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.guideAction = QAction(self.tr("使用指南(&G)"), self)
        self.guideAction.setShortcut(QKeySequence("F1"))
        help_menu.addAction(self.guideAction)

    def _connect(self) -> None:
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.batchCombo.currentIndexChanged.connect(self._on_batch_selected)
        self.expertAction.triggered.connect(self.expertModeRequested.emit)
        self.quitAction.triggered.connect(self.close)
        self.guideAction.triggered.connect(self.show_guide)
        self.wizard.batchAdded.connect(lambda batch_id: self.refresh_batches(select=batch_id))
        self.keys_page.keysChanged.connect(self._on_keys_changed)

    # -- pages ---------------------------------------------------------------------------------
    def add_page(self, name: str, widget: QWidget) -> int:
        """Append a page to the navigation; returns its index. See the module docstring."""
        # each page in a scroll area: a page wider or taller than a small screen (a long English label,
        # a wide table) scrolls inside the window instead of growing the window's minimum size
        holder = QScrollArea(self.stack)
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(widget)
        holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes into the page (the area follows focus)
        holder.setAccessibleName(name)
        self.stack.addWidget(holder)
        item = QListWidgetItem(name)
        item.setSizeHint(QSize(150, 40))
        self.nav.addItem(item)
        self._pages.append((name, widget))
        index = len(self._pages) - 1
        action = QAction(name, self)
        if index < 9:
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        action.triggered.connect(lambda _checked=False, i=index: self._go_page(i))
        self.pagesMenu.addAction(action)
        setter = getattr(widget, "set_context", None)
        if callable(setter) and self._context is not None:
            setter(self._context)
        return len(self._pages) - 1

    def _go_page(self, index: int) -> None:
        self.nav.setCurrentRow(index)
        page = self._pages[index][1] if 0 <= index < len(self._pages) else None
        if page is not None:  # into the page, where Tab continues
            page.setFocus(Qt.FocusReason.ShortcutFocusReason)
            page.focusNextChild()

    def show_guide(self) -> None:
        """F1: the guide (its 机构汇总 part covers this window, its shortcuts both modes)."""
        from tic_desktop.ui.common.guide_dialog import GuideDialog  # noqa: PLC0415
        from tic_desktop.ui.common.screen_fit import fit_on_show  # noqa: PLC0415

        dialog = GuideDialog(self.lang, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.guide = fit_on_show(dialog)
        dialog.open()

    def current_page(self) -> QWidget | None:
        """The page shown (the stack holds each page inside its scroll area)."""
        index = self.stack.currentIndex()
        return self._pages[index][1] if 0 <= index < len(self._pages) else None

    def page_index(self, page: QWidget) -> int:
        return next((i for i, (_, w) in enumerate(self._pages) if w is page), -1)

    def page_names(self) -> list[str]:
        return [name for name, _ in self._pages]

    def page(self, name: str) -> QWidget:
        return next(w for n, w in self._pages if n == name)

    def show_page(self, name: str) -> None:
        self.nav.setCurrentRow(self.page_names().index(name))

    def _install_other_pages(self) -> None:
        for module_name in PAGE_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ImportError:  # the other pages still come up; `tic-desktop self-test` names the module
                log.exception("agency pages %s could not be imported", module_name)
                continue
            add = getattr(module, "add_agency_pages", None)
            if callable(add):
                add(self)

    # -- batches -------------------------------------------------------------------------------
    def identity(self) -> str | None:
        """The text of the agency's age identity file, or None when there are no keys yet (or the
        passphrase was not given). A sealed file asks for the passphrase once per session."""
        from tic_desktop.formats import keys as fkeys  # noqa: PLC0415

        if self._unlocked is not None:
            return self._unlocked[0]
        path = self.keys_dir / fkeys.AGE_IDENTITY_FILE
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if not fkeys.is_sealed(data):
            try:
                return fkeys.open_identity(data, None)[0]  # plain: demo keys, or made before the rule
            except Rejected:
                return None
        return self.unlock()

    def unlock(self) -> str | None:
        """Ask for the agency key passphrase until it opens agency.agekey (None: the user cancelled)."""
        from tic_desktop.formats import keys as fkeys  # noqa: PLC0415

        error = ""
        while True:
            secret = self.ask_key_passphrase(error)
            if not secret:
                return None
            try:
                text, _plain = fkeys.read_identity(self.keys_dir / fkeys.AGE_IDENTITY_FILE, secret)
            except Rejected as exc:
                if exc.code != fkeys.WRONG_PASSPHRASE:
                    self.statusBar().showMessage(exc.text(self.lang), 15000)
                    return None
                error = message(exc.code, self.lang)
                continue
            self._unlocked = (text, secret.encode("utf-8"))
            return text

    def signing_keys(self) -> Any:
        """The agency's keys with the signing key (`formats.keys.AgencyKeys`, to sign an archive), or None
        when there are no keys or the passphrase was not given. Sealed keys use the passphrase given this
        session, else ask for it once (as `identity()` does)."""
        from tic_desktop.formats import keys as fkeys  # noqa: PLC0415

        try:
            sealed = fkeys.is_sealed((self.keys_dir / fkeys.AGE_IDENTITY_FILE).read_bytes())
        except OSError:
            return None
        if sealed and self._unlocked is None and self.unlock() is None:
            return None
        secret = self._unlocked[1] if sealed and self._unlocked is not None else None
        return fkeys.load_agency_keys(self.keys_dir, passphrase=secret)

    def session_passphrase(self) -> bytes | None:
        """The agency key passphrase given in this session (None: not asked yet, or the keys are plain)."""
        return self._unlocked[1] if self._unlocked else None

    def remember_unlock(self, identity: str, passphrase: bytes) -> None:
        """The keys page or the batch wizard opened the keys with `passphrase`: do not ask again."""
        self._unlocked = (identity, passphrase)

    def _on_keys_changed(self) -> None:
        created = getattr(self.keys_page, "unlocked", None)
        self._unlocked = created  # new keys made here come unlocked; restored ones ask again
        self.keys_page.unlocked = None
        self._close_batch()
        self.refresh_batches()

    def _ask_key_passphrase(self, error: str) -> str | None:
        from tic_desktop.ui.common.passphrase_dialog import PassphraseDialog  # noqa: PLC0415

        dialog = PassphraseDialog(self, error=error, prompt=self.tr(
            "机构密钥（agency.agekey）受口令保护。请输入机构密钥口令，本次运行期间只需输入一次："))
        dialog.setWindowTitle(self.tr("解锁机构密钥"))
        if dialog.exec() != PassphraseDialog.DialogCode.Accepted:
            return None
        return dialog.value().passphrase

    def refresh_batches(self, select: str | None = None) -> None:
        current = select or self.current_batch_id()
        self.batchCombo.blockSignals(True)
        self.batchCombo.clear()
        for info in self.workspace.batches():
            title = info.title.en if self.lang.startswith("en") else info.title.zh
            self.batchCombo.addItem(
                self.tr("%1（%2 个项目，%3 位专家）").replace("%1", title).replace("%2", str(info.proposals))
                .replace("%3", str(info.experts)), info.batch_id)
        if self.batchCombo.count() == 0:
            self.batchCombo.addItem(self.tr("尚无批次：请在“生成批次”页生成"), "")
        index = max(0, self.batchCombo.findData(current)) if current else self.batchCombo.count() - 1
        self.batchCombo.setCurrentIndex(index)
        self.batchCombo.blockSignals(False)
        self._on_batch_selected()

    def current_batch_id(self) -> str:
        return str(self.batchCombo.currentData() or "")

    def context(self) -> Any:
        """The `AgencyContext` of the selected batch, or None."""
        return self._context

    def _on_batch_selected(self) -> None:
        batch_id = self.current_batch_id()
        if self._context is not None and self._context.batch_id == batch_id:
            return
        self._close_batch()
        identity = self.identity() if batch_id else None  # no batch: no need to unlock the keys yet
        if batch_id and identity:
            from tic_desktop.agency.workspace import DEMO_BATCH  # noqa: PLC0415
            from tic_desktop.formats.demo_key import is_demo_agency_fingerprint  # noqa: PLC0415
            from tic_desktop.ui.agency.agency_context import AgencyContext  # noqa: PLC0415

            try:  # only a batch signed by this agency's own key, and the demo key only in the demo (issue 11)
                own = self.workspace.own_fingerprint()
                if is_demo_agency_fingerprint(own) and not self.demo:
                    raise Rejected(DEMO_BATCH, own)
                self._opened = self.workspace.open_batch(batch_id, identity, own_fingerprint=own)
            except Rejected as exc:
                self.statusBar().showMessage(exc.text(self.lang), 15000)
            else:
                self._context = AgencyContext(ws=self.workspace, ws_path=self.ws_path, batch_id=batch_id,
                                              batch=self._opened, identity=identity, lang=self.lang,
                                              keys_dir=self.keys_dir,
                                              key_passphrase=self._unlocked[1] if self._unlocked else None)
        for _name, widget in self._pages:
            setter = getattr(widget, "set_context", None)
            if callable(setter):
                setter(self._context)
        self.batchChanged.emit(batch_id if self._context is not None else "")

    def _close_batch(self) -> None:
        opened, self._opened, self._context = self._opened, None, None
        if opened is not None:
            opened.close()

    # -- closing -------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Close the batch and the workspace (idempotent)."""
        if self.workspace is None:
            return
        for _name, widget in self._pages:
            setter = getattr(widget, "set_context", None)
            if callable(setter):
                setter(None)
        self._close_batch()
        self.workspace.close()
        self.workspace = None  # type: ignore[assignment]

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.closing.emit()
        super().closeEvent(event)


__all__ = ["PAGE_MODULES", "AgencyWindow"]
