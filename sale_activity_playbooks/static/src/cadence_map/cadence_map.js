import { Component, onWillUnmount, useEffect, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { layoutCadenceMap, NODE_HEIGHT, NODE_WIDTH } from "./cadence_layout";

const { DateTime } = luxon;

// What the map reads of each rule of the form (MAP_RULE_FIELDS on the
// server) and of the playbook (MAP_EXIT_FIELDS).
const RULE_FIELDS = [
    "sequence",
    "activity_type_id",
    "trigger_on",
    "chaining_type",
    "next_type_ids",
    "outcome_ids",
    "repeat_limit",
    "delay_count",
    "delay_unit",
];
const EXIT_FIELDS = ["stop_stage_id", "stop_on_reply", "stop_on_company_reply", "stop_on_meeting"];

/** An id, a list of ids or false, from a field value of 18.0 ([id, name],
 * a StaticList) or 19.0 ({id, display_name}, a StaticList). */
function ids(value) {
    if (!value) {
        return false;
    }
    if (value.currentIds) {
        return [...value.currentIds];
    }
    if (Array.isArray(value)) {
        return value[0];
    }
    return typeof value === "object" ? value.id : value;
}

let nextMapId = 1;

/**
 * The cadence map of a playbook, drawn from the form's values (its unsaved
 * rules too): activity types as boxes, each rule an arrow with its
 * outcomes, delay, limit and the step report's figures for a period.
 */
export class CadenceMap extends Component {
    static template = "sale_activity_playbooks.CadenceMap";
    static props = {
        record: Object,
        list: Object,
        openRule: Function,
    };

    setup() {
        this.orm = useService("orm");
        this.markerId = `o_sap_cadence_arrow_${nextMapId++}`;
        const reportDomain = this.props.record.context?.sap_cadence_map_domain;
        this.reportDomain = reportDomain || null;
        this.periods = [
            ...(reportDomain ? [{ value: "report", label: _t("Report filters") }] : []),
            { value: "30", label: _t("Last 30 days") },
            { value: "90", label: _t("Last 90 days") },
            { value: "365", label: _t("Last 365 days") },
            { value: "all", label: _t("All time") },
        ];
        this.state = useState({ period: reportDomain ? "report" : "90", layout: null, renderMs: false, drawnPeriod: false });
        this.loadedKey = null;
        this.drawStart = null;
        this.alive = true;
        onWillUnmount(() => (this.alive = false));
        useEffect(
            (key) => {
                if (key !== this.loadedKey) {
                    this.loadedKey = key;
                    this.load(key);
                }
            },
            () => [this.requestKey()]
        );
        useEffect(
            () => {
                if (this.drawStart !== null && this.state.layout) {
                    // drawn: the layout and the browser's layout of the SVG
                    const ms = performance.now() - this.drawStart;
                    this.drawStart = null;
                    this.state.renderMs = Math.round(ms * 10) / 10;
                }
            },
            () => [this.state.layout]
        );
    }

    /** The form's rules and exits, as get_cadence_map() reads them. */
    draft() {
        const data = this.props.record.data;
        const draft = { rules: [] };
        for (const name of EXIT_FIELDS) {
            draft[name] = name === "stop_stage_id" ? ids(data[name]) : Boolean(data[name]);
        }
        for (const rule of this.props.list.records) {
            const values = { key: rule.resId || rule.id };
            for (const name of RULE_FIELDS) {
                const value = rule.data[name];
                values[name] = typeof value === "object" ? ids(value) : value;
            }
            draft.rules.push(values);
        }
        return draft;
    }

    requestKey() {
        return JSON.stringify([this.props.record.resId || false, this.state.period, this.draft()]);
    }

    periodArgs(period) {
        if (period === "report") {
            return { domain: this.reportDomain };
        }
        if (period === "all") {
            return {};
        }
        const today = DateTime.local();
        return {
            date_from: today.minus({ days: Number(period) }).toISODate(),
            date_to: today.toISODate(),
        };
    }

    async load(key) {
        const [resId, period, draft] = JSON.parse(key);
        const cadenceMap = await this.orm.call(
            "sale.activity.playbook",
            "get_cadence_map",
            [resId ? [resId] : []],
            { draft, ...this.periodArgs(period) }
        );
        if (!this.alive || key !== this.loadedKey) {
            return; // a newer request is on its way
        }
        this.drawStart = performance.now();
        this.state.renderMs = false;
        this.state.drawnPeriod = period;
        this.state.layout = layoutCadenceMap(cadenceMap, (figures) => this.figureLine(figures));
    }

    figureLine(figures) {
        return _t("%(fired)s fired · %(onTime)s on time · %(won)s won after", {
            fired: figures.fired,
            onTime: figures.done_on_time,
            won: figures.won_after,
        });
    }

    get nodeWidth() {
        return NODE_WIDTH;
    }

    get nodeHeight() {
        return NODE_HEIGHT;
    }

    /** The node's label, cut to fit its box (the whole in its tooltip). */
    nodeLabel(node) {
        return node.label.length > 20 ? `${node.label.slice(0, 19)}…` : node.label;
    }

    arrowTitle(arrow) {
        return [arrow.edge.label, ...arrow.lines.slice(-1)].filter(Boolean).join("\n");
    }

    onPeriodChange(ev) {
        this.state.period = ev.target.value;
    }

    isUnsaved(arrow) {
        return typeof arrow.edge.rule !== "number";
    }

    onArrowClick(arrow) {
        const rule = this.props.list.records.find(
            (record) => (record.resId || record.id) === arrow.edge.rule
        );
        if (rule) {
            this.props.openRule(rule);
        }
    }
}
