import { registry } from "@web/core/registry";

// Each step waits up to 30 s (Odoo: 10 s): on a busy test machine a page may
// take longer to load. Never lower.
const slow = (steps) => steps.map((step) => ({ timeout: 30000, ...step }));

registry.category("web_tour.tours").add("sale_activity_playbooks_smoke", {
    url: "/odoo",
    steps: () => slow([
        {
            // stepUtils.showAppsMenuItem(), which 19.0 moved to another module
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            content: "Open the CRM app",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        {
            content: "The pipeline is a kanban of opportunities, grouped by stage",
            trigger: ".o_opportunity_kanban .o_kanban_group .o_column_title",
        },
        {
            content: "The salesperson sees the pipeline's breadcrumb",
            trigger: ".o_breadcrumb .active:contains('Pipeline')",
        },
    ]),
});
