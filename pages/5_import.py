"""录入文件 Import — paste or upload a document, review the figures the finder proposes, validate with the
loader's rules, preview the diff, and save the observation CSV and the parks.yaml source entry (editor mode only).
The logic lives in parkmetrics.importing; writing in parkmetrics.write."""
import datetime as dt
import hashlib
import json

import streamlit as st

from parkmetrics import forms, i18n, importing, write
from parkmetrics.finder import UnreadableDocument
from parkmetrics.loader import fingerprint
from parkmetrics.model import Park, Source
from parkmetrics.ui import data_root, page_setup

NEW_PARK = "__new__"
ss = st.session_state


def bullets(messages: list[str]) -> str:
    """One line per field problem (its label, what it expects, a hint); page.t escapes them and keeps the breaks."""
    return "\n".join(f"• {m}" for m in messages)


def catalogue_offers(page, root, frame, reasons, basis_name) -> None:
    """Buttons that add what the ticked rows lack to data/indicators.yaml (a basis, or a new indicator stub),
    through parkmetrics.write; at most five, the first ones."""
    if st.session_state.get("imp_flash_catalogue"):
        st.success(page.t("imp_catalogue_saved", file=st.session_state.pop("imp_flash_catalogue")),
                   icon=":material/check:")
    offers = {}
    for r, (key, args) in zip(frame.to_dict("records"), reasons):
        if not r.get("accept") or not key:
            continue
        if key == "imp_why_basis":
            offers.setdefault(("basis", args["id"], args["basis"]), page.t(
                "imp_add_basis", indicator=args["indicator"], basis=basis_name(args["basis"])))
        elif args["words"]:
            offers.setdefault(("indicator", args["words"], r.get("unit") or "", r.get("basis") or "level"), page.t(
                "imp_add_indicator", words=args["words"], unit=r.get("unit") or "—", basis=basis_name(r.get("basis"))))
    if not offers:
        return
    with st.container(border=True):
        st.markdown(f"**{page.t('imp_catalogue')}**")
        for n, (offer, label) in enumerate(list(offers.items())[:5]):
            if st.button(label, key=f"imp_offer_{n}", icon=":material/playlist_add:"):
                try:
                    if offer[0] == "basis":
                        path = write.add_indicator_basis(root, offer[1], offer[2])
                    else:
                        stub = importing.indicator_stub(offer[1], offer[2], offer[3], page.indicators)
                        path = write.add_indicator(root, stub)
                except write.WriteRefused as exc:
                    st.error(page.t("imp_refused", reason=exc.message_en if page.lang == "en" else exc.message_zh),
                             icon=":material/block:")
                else:  # the page reads the new catalogue on the rerun; the notice is shown there, once
                    st.session_state["imp_flash_catalogue"] = str(path.relative_to(root))
                    st.rerun()


with page_setup("page_import") as page:
    lang, root = page.lang, data_root()
    editor = page.editor
    if not editor:
        st.info(page.t("imp_readonly"), icon=":material/lock:")

    # ① the document ---------------------------------------------------------------------------------------------
    st.header(page.t("imp_step_document"))
    ss.setdefault("imp_mode", "paste")
    mode = st.segmented_control(page.t("imp_input"), ["paste", "upload"], key="imp_mode", required=True,
                                format_func=lambda m: page.t(f"imp_{m}"))
    text, file_name, form = "", "", None
    if mode == "upload":
        upload = st.file_uploader(page.t("imp_file"), type=[*importing.UPLOAD_TYPES, "xlsx"], key="imp_upload",
                                  max_upload_size=importing.MAX_UPLOAD_MB, help=page.t("form_upload"))
        if upload is not None:
            file_name = upload.name
            if ss.get("imp_read", (None,))[0] != upload.file_id:
                if upload.name.lower().endswith(".xlsx"):   # a returned 指标填报表: read by its cells, not as prose
                    got = forms.read_form(upload.getvalue(), page.analysis.dataset, name=upload.name)
                    ss["imp_read"] = (upload.file_id, got.text, "", got)
                else:
                    try:
                        ss["imp_read"] = (upload.file_id, importing.read_upload(upload.name, upload.getvalue()), "",
                                          None)
                    except (UnreadableDocument, ValueError, OSError) as exc:
                        ss["imp_read"] = (upload.file_id, "", str(exc), None)
            _, text, reason, form = ss["imp_read"]
            if form is not None and form.problems:   # the messages quote the workbook's cells: shown as text
                st.warning(page.t("form_problems", n=len(form.problems)), icon=":material/warning:")
                page.lines(form.messages(lang))
            if form is not None and form.blocked:
                page.end()
            if reason:
                st.error(page.t("imp_unreadable", reason=reason), icon=":material/error:")
            elif not text.strip():
                st.warning(page.t("imp_no_text"), icon=":material/warning:")
    else:
        text = st.text_area(page.t("imp_text"), key="imp_text", height=180,
                            placeholder=page.t("imp_text_placeholder"))
    if not text.strip():
        st.info(page.t("imp_start"), icon=":material/info:")
        ss.pop("imp_doc", None)          # the fields below are not drawn now: prefill them again next time
        page.end()
    if not editor and len(text) > importing.READ_ONLY_MAX_CHARS:   # a read-only viewer cannot occupy the server
        st.warning(page.t("imp_too_long_read_only", n=f"{importing.READ_ONLY_MAX_CHARS:,}"), icon=":material/warning:")
        page.end()

    # ② the park and the source: prefilled from the text, once per document ---------------------------------------
    doc = hashlib.sha1(text.encode("utf-8")).hexdigest()
    if ss.get("imp_doc") != doc:
        for stale in ("imp_sid", "imp_saved", "imp_vkey", "imp_issuer"):
            ss.pop(stale, None)
        if form is not None:                  # the form names its park, period, 填报单位 and date itself
            ss.update(imp_doc=doc, imp_year=form.year, imp_title=form.source.get("title", ""),
                      imp_date=form.source.get("date", ""), imp_issuer=form.source.get("issuer", ""),
                      imp_file_name=file_name, imp_sid=form.source.get("id"))
            page.preset(imp_type="form", imp_scope="park", imp_park=form.park_id)
        else:
            info = importing.infer(text)
            ss.update(imp_doc=doc, imp_year=info.year or dt.date.today().year, imp_title=info.title,
                      imp_date=info.date, imp_file_name=file_name)
            page.preset(imp_type=info.doc_type, imp_scope="park",
                        imp_park=importing.guess_park(text, page.parks) or next(iter(page.parks), NEW_PARK))

    st.header(page.t("imp_step_source"))
    c1, c2, c3, c4 = st.columns([3, 2, 1, 1])
    park_id = page.select("imp_park", [*page.parks, NEW_PARK], page.t("park"), where=c1,
                          format_func=lambda p: page.t("imp_new_park") if p == NEW_PARK else page.park_name(p))
    doc_type = page.select("imp_type", ("form",) if form is not None else importing.DOC_TYPES, page.t("doc_type"),
                           where=c2, format_func=lambda t: page.t(f"imp_type_{t}"))
    year = int(c3.number_input(page.t("year"), min_value=2000, max_value=2100, step=1, key="imp_year"))
    scope = page.select("imp_scope", importing.SCOPES, page.t("scope"), where=c4,
                        format_func=lambda s: page.t(f"scope_{s}"))

    new_park, park_problems = None, []
    if park_id == NEW_PARK:
        with st.container(border=True):
            st.markdown(f"**{page.t('imp_new_park_fields')}**")
            p1, p2, p3 = st.columns(3)
            values = {"id": p1.text_input(page.t("imp_park_id"), key="imp_np_id"),
                      "name_zh": p2.text_input(page.t("imp_name_zh"), key="imp_np_name_zh"),
                      "name_en": p3.text_input(page.t("imp_name_en"), key="imp_np_name_en"),
                      "province": p1.text_input(page.t("imp_province"), key="imp_np_province"),
                      "city": p2.text_input(page.t("imp_city"), key="imp_np_city"),
                      "county": p3.text_input(page.t("imp_county"), key="imp_np_county"),
                      "level": p1.selectbox(page.t("level"), importing.PARK_LEVELS, key="imp_np_level"),
                      "kind": p2.selectbox(page.t("imp_park_kind"), importing.PARK_KINDS, key="imp_np_kind"),
                      "color": p3.color_picker(page.t("imp_color"), "#7d3c98", key="imp_np_color")}
        new_park = importing.park_entry(**values)
        park_problems = importing.model_errors(Park, new_park, lang, taken=page.parks)
        if park_problems:
            st.warning(page.t("imp_park_invalid", errors=bullets(park_problems)), icon=":material/warning:")
        park_id = new_park.get("id") or ""

    sources = [(s.id, s.park) for s in page.analysis.dataset.sources.values()]
    auto_sid = importing.default_source_id(park_id, year, doc_type, sources)
    if ss.get("imp_sid") in (None, ss.get("imp_sid_auto")):      # follow the default until the editor types one
        ss["imp_sid"] = auto_sid
    ss["imp_sid_auto"] = auto_sid
    s1, s2, s3 = st.columns([2, 3, 3])
    sid = s1.text_input(page.t("imp_source_id"), key="imp_sid").strip()
    title = s2.text_input(page.t("imp_title"), key="imp_title")
    issuer = s3.text_input(page.t("issuer"), key="imp_issuer")
    s4, s5, s6 = st.columns([2, 3, 3])
    date = s4.text_input(page.t("date"), key="imp_date", placeholder="YYYY-MM-DD", help=page.t("imp_date_help"))
    doc_file = s5.text_input(page.t("imp_file_name"), key="imp_file_name", placeholder=f"{sid}.txt")
    draft = s6.checkbox(page.t("draft"), key="imp_draft")
    source = importing.source_entry(id=sid, file=doc_file or f"{sid}.txt", title=title, issuer=issuer, date=date,
                                    type=doc_type, park=park_id, scope=scope, draft=draft)
    source_problems = importing.model_errors(Source, source, lang)

    # ③ the document with its figures, and the candidates to review ---------------------------------------------------
    st.header(page.t("imp_step_review"))
    ckey = (doc, doc_type, year, scope)
    if ss.get("imp_ckey") != ckey:
        ss["imp_frame"] = form.frame if form is not None else \
            importing.review_frame(text, page.indicators, doc_type=doc_type, year=year, scope=scope)
        ss["imp_ckey"] = ckey
        ss["imp_ver"] = ss.get("imp_ver", 0) + 1
    ver = ss["imp_ver"]
    stopped_at = ss["imp_frame"].attrs.get("stopped_at")
    if stopped_at is not None:
        st.warning(page.t("imp_stopped_early", at=f"{stopped_at:,}", n=f"{len(text):,}",
                          s=f"{importing.FINDER_BUDGET_S:g}", max=f"{importing.MAX_CANDIDATES:,}"),
                   icon=":material/timer:")
    document_box = st.container()     # drawn once the table's edits are known (accepted rows turn blue)
    indicator_ids = list(page.indicators)
    units = sorted(set(importing.UNIT_CHOICES) | set(ss["imp_frame"]["unit"].dropna()))
    basis_name = lambda b: i18n.pick(i18n.BASIS.get(b, (b, b)), lang)  # noqa: E731
    known = importing.already_known(ss["imp_frame"], page.analysis.dataset.observations, park_id)
    reasons = [("imp_why_known", {"source": k}) if k else r
               for r, k in zip(importing.why(ss["imp_frame"], page.indicators), known)]
    shown = ss["imp_frame"].assign(why=[page.t(key, **{**args, "basis": basis_name(args.get("basis", "")),
                                                        "allowed": "、".join(map(basis_name, args.get("allowed", [])))})
                                        if key else "" for key, args in reasons])
    edited = st.data_editor(
        shown, key=f"imp_editor_{ver}", hide_index=True, num_rows="fixed", placeholder="—",
        column_order=[*importing.SHOWN[:2], "why", *importing.SHOWN[2:]],
        disabled=[*importing.SHOWN_READ_ONLY, "why"],
        column_config={
            "why": st.column_config.TextColumn(page.t("imp_why"), width="medium"),
            "accept": st.column_config.CheckboxColumn(page.t("imp_accept"), width="small"),
            "indicator_id": st.column_config.SelectboxColumn(
                page.t("indicator"), options=indicator_ids, width="medium",
                format_func=page.indicator_label),
            "value": st.column_config.NumberColumn(page.t("value"), format="%g"),
            "unit": st.column_config.SelectboxColumn(page.t("unit"), options=units, width="small"),
            "comparator": st.column_config.SelectboxColumn(page.t("comparator"), options=importing.COMPARATORS,
                                                           width="small"),
            "basis": st.column_config.SelectboxColumn(page.t("basis"), options=importing.BASES,
                                                      format_func=basis_name),
            "kind": st.column_config.SelectboxColumn(page.t("kind"), options=("actual", "target"),
                                                     format_func=lambda k: page.t(k)),
            "target_level": st.column_config.SelectboxColumn(page.t("target_tier"), options=("base", "stretch"),
                                                             format_func=lambda v: page.t(v)),
            "estimate": st.column_config.CheckboxColumn(page.t("estimate"), width="small"),
            "approximate": st.column_config.CheckboxColumn(page.t("approximate"), width="small"),
            "period": st.column_config.TextColumn(page.t("imp_period"), help=page.t("imp_period_help"), width="small"),
            "year": st.column_config.NumberColumn(page.t("year"), format="%d", step=1, width="small"),
            "note": st.column_config.TextColumn(page.t("imp_note"), help=page.t("imp_note_help")),
            "quote": st.column_config.TextColumn(page.t("quote"), width="medium"),
            "indicator_text": st.column_config.TextColumn(page.t("imp_found_with")),
            "confidence": st.column_config.NumberColumn(page.t("imp_confidence"), format="%.2f", width="small"),
        })
    with document_box:
        n, k = len(edited), int(edited["accept"].sum())
        st.caption(page.t("imp_legend"))
        page.marked(text, importing.highlight_spans(edited), height=320 if len(text) > 400 else None)
        if n:
            st.markdown(page.t("imp_found", n=n, k=k))
        else:
            st.markdown(page.t("imp_none_found"))

    buttons = st.container(horizontal=True)       # as wide as their labels, side by side
    if buttons.button(page.t("imp_accept_all"), icon=":material/done_all:", disabled=edited.empty):
        ss["imp_frame"], ss["imp_ver"] = importing.set_accept(edited, True, known=known), ver + 1
        st.rerun()
    if buttons.button(page.t("imp_accept_none"), icon=":material/remove_done:", disabled=not k):
        ss["imp_frame"], ss["imp_ver"] = importing.set_accept(edited, False), ver + 1
        st.rerun()
    with st.expander(page.t("imp_bulk"), icon=":material/edit_note:"):   # kind, year, period on many rows at once
        b1, b2, b3, b4 = st.columns([2, 1, 1, 2], vertical_alignment="bottom")
        keep = page.t("imp_bulk_keep")
        bulk_kind = b1.selectbox(page.t("kind"), [None, "actual", "target"], key=f"imp_bulk_kind_{ver}",
                                 format_func=lambda k: keep if k is None else page.t(k))
        bulk_year = b2.number_input(page.t("year"), min_value=2000, max_value=2100, value=None, step=1,
                                    key=f"imp_bulk_year_{ver}", placeholder=keep)
        bulk_period = b3.text_input(page.t("imp_period"), key=f"imp_bulk_period_{ver}", placeholder=keep,
                                    help=page.t("imp_period_help"))
        if b4.button(page.t("imp_bulk_apply"), icon=":material/done:", disabled=not k):
            ss["imp_frame"] = importing.set_fields(edited, kind=bulk_kind, period=bulk_period.strip() or None,
                                                   year=int(bulk_year) if bulk_year is not None else None)
            ss["imp_ver"], ss["imp_flash_bulk"] = ver + 1, k
            st.rerun()
    if ss.get("imp_flash_bulk"):
        st.success(page.t("imp_bulk_done", n=ss.pop("imp_flash_bulk")), icon=":material/check:")
    if editor:
        catalogue_offers(page, root, edited, importing.why(edited, page.indicators), basis_name)
    a1, a2 = st.columns([5, 1], vertical_alignment="bottom")
    span = a1.text_input(page.t("imp_span"), key=f"imp_span_{ver}")
    if a2.button(page.t("imp_span_button"), icon=":material/add:", disabled=not span.strip()):
        try:
            grown = importing.add_span(edited, text, span, page.indicators, doc_type=doc_type, year=year,
                                       scope=scope)
        except importing.SpanNotInDocument:
            st.error(page.t("imp_span_missing"), icon=":material/error:")
        else:
            added = len(grown) - len(edited)
            known = int(grown["accept"].sum()) - int(edited["accept"].sum()) - added  # already in the table
            ss["imp_frame"], ss["imp_ver"], ss["imp_flash"] = grown, ver + 1, (added, known)
            st.rerun()
    if ss.get("imp_flash"):
        added, known = ss.pop("imp_flash")
        if added:
            st.success(page.t("imp_span_added", n=added), icon=":material/check:")
        if known or not added:
            st.info(page.t("imp_span_known", n=known), icon=":material/info:")

    # ④ the loader's verdict and the diff ---------------------------------------------------------------------------
    st.header(page.t("imp_step_check"))
    rows = importing.observation_rows(edited, park_id=park_id, source_id=sid)
    missing = importing.unchosen(edited)
    if missing:
        st.warning(page.t("imp_choose_indicator", rows="、".join(map(str, missing))), icon=":material/warning:")
    ready = bool(rows) and not source_problems and not park_problems and not missing
    if not rows:
        st.info(page.t("imp_nothing_accepted"), icon=":material/info:")
    if source_problems:
        st.warning(page.t("imp_source_invalid", errors=bullets(source_problems)), icon=":material/warning:")
    errors, replace, there = 0, False, {}
    confirmed_version = ss.get("imp_version")   # the files' version behind the diff the editor saw on the last run
    if ready:
        there = importing.existing(root, sid)
        replace = any(there.values())
        vkey = json.dumps([fingerprint(root), source, rows, new_park, replace], ensure_ascii=False, default=str)
        if ss.get("imp_vkey") != vkey:
            try:
                problems, _ = importing.validate(root, source, rows, park=new_park, replace=replace,
                                                 dataset=page.analysis.dataset)
                shown = importing.preview(root, source, rows, park=new_park, replace=replace)
                ss["imp_checked"] = (problems, shown.diff, None)
                ss["imp_version"] = shown.version   # the save is bound to the files this diff was made from
            except write.WriteRefused as exc:
                ss["imp_checked"] = ([], "", exc.message_en if lang == "en" else exc.message_zh)
            ss["imp_vkey"] = vkey
        problems, preview, refused = ss["imp_checked"]
        errors = sum(p.is_error for p in problems) + bool(refused)
        if refused:
            st.error(page.t("imp_refused", reason=refused), icon=":material/block:")
        elif problems:
            st.warning(page.t("imp_problems", errors=errors, warnings=len(problems) - errors),
                       icon=":material/warning:")
            page.problems_table(problems)
        else:
            st.success(page.t("imp_valid", n=len(rows)), icon=":material/check_circle:")
        st.subheader(page.t("imp_diff"), anchor=False)
        if preview:
            st.code(preview, language="diff")
        elif not refused:
            st.caption(page.t("imp_no_change"))

    # ⑤ save (editor mode only) ------------------------------------------------------------------------------------
    if editor:
        st.header(page.t("imp_step_save"))
        confirmed, just_saved = True, ss.pop("imp_saved", None)
        if just_saved:                        # shown once, right after saving (the source now exists)
            saved_park, files = just_saved
            st.success(page.t("imp_saved", files=", ".join(files)), icon=":material/check_circle:")
            st.page_link("pages/1_park.py", label=page.t("page_park") + " →", icon=":material/factory:",
                         query_params={"park": saved_park, "lang": lang})
        elif ready and replace:
            what = " + ".join(w for w, on in (("parks.yaml", there.get("source")),
                                               (write.observations_rel(sid), there.get("csv"))) if on)
            st.warning(page.t("imp_exists", id=sid, what=what), icon=":material/warning:")
            confirmed = st.checkbox(page.t("imp_confirm_overwrite"), key="imp_confirm")
        if not just_saved and st.button(page.t("imp_save"), type="primary", icon=":material/save:",
                                        disabled=not ready or errors > 0 or not confirmed):
            try:
                written = importing.save(root, source, rows, park=new_park, replace=replace and confirmed,
                                         version=confirmed_version)
            except write.StaleDiff as exc:        # another editor saved meanwhile: show what saving now changes
                st.error(page.t("imp_refused", reason=exc.message_en if lang == "en" else exc.message_zh),
                         icon=":material/block:")
                if exc.diff:
                    st.code(exc.diff, language="diff")
                ss.pop("imp_vkey", None)           # the next run checks and diffs the files as they are now
            except write.WriteRefused as exc:
                st.error(page.t("imp_refused", reason=exc.message_en if lang == "en" else exc.message_zh),
                         icon=":material/block:")
            else:
                ss.pop("imp_vkey", None)
                ss["imp_saved"] = (park_id, [str(p.relative_to(root)) for p in written])
                st.rerun()                    # the page now reads the saved files
