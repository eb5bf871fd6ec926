//! The calibration report's page: per interviewer, a table of interviews, timeliness,
//! recommendations, lone dissents and the difference from the panel, with a small SVG
//! chart of that difference, so that harsh and lenient interviewers show.

use leptos::prelude::*;

use super::calibration::{signed, InterviewerFigures};
use super::{load_calibration, CalibrationReport, Recommendation};
use crate::ui::{loaded, with_blank, SelectField, StaffPage, UrlQuery};

#[component]
pub fn CalibrationPage() -> impl IntoView {
    let query = UrlQuery::current(&["from", "to", "requisition"]);
    let fetch = move || {
        let query = query.clone();
        async move {
            load_calibration(query.get("from"), query.get("to"), query.get("requisition")).await
        }
    };
    view! {
        <StaffPage title="Interviewer calibration">
            {loaded(fetch.clone(), |report| view! { <CalibrationView report/> })}
        </StaffPage>
    }
}

/// One bar a row: the interviewer's difference from the panel, left of the middle when
/// harsher, right when more lenient, on a scale of −3 to +3 levels.
fn chart(figures: &[InterviewerFigures]) -> impl IntoView {
    let rows: Vec<(&str, f64)> = figures
        .iter()
        .filter_map(|f| Some((f.name.as_str(), f.overall_difference?)))
        .collect();
    if rows.is_empty() {
        return view! { <p class="muted">"No interviewer shares candidates with a colleague in this range yet, so there is nothing to compare."</p> }.into_any();
    }
    let (label_width, bar_width, row_height) = (180.0, 300.0, 24.0);
    let middle = label_width + bar_width / 2.0;
    let scale = bar_width / 2.0 / 3.0;
    let height = row_height * rows.len() as f64 + 24.0;
    let description = rows
        .iter()
        .map(|(name, d)| format!("{name} {}", signed(*d)))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <figure class="calibration-chart">
            <svg role="img" aria-label=format!("Difference from the panel's average level: {description}") width=label_width + bar_width + 10.0 height=height viewBox=format!("0 0 {} {height}", label_width + bar_width + 10.0)>
                <line x1=middle y1="0" x2=middle y2=height - 20.0 stroke="#667085" stroke-width="1"/>
                <text x=label_width y=height - 6.0 font-size="11">"−3 harsher"</text>
                <text x=label_width + bar_width - 70.0 y=height - 6.0 font-size="11">"+3 more lenient"</text>
                {rows.iter().enumerate().map(|(index, (name, difference))| {
                    let y = index as f64 * row_height;
                    let length = difference.clamp(-3.0, 3.0) * scale;
                    let (x, width) = if length < 0.0 { (middle + length, -length) } else { (middle, length) };
                    let fill = if *difference < 0.0 { "#b42318" } else { "#027a48" };
                    view! {
                        <text x="0" y=y + 16.0 font-size="12">{name.to_string()}</text>
                        <rect x=x y=y + 4.0 width=width.max(1.0) height=row_height - 8.0 fill=fill/>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="muted">"Each bar is an interviewer's average level minus the panel's on the same candidates, over all attributes."</figcaption>
        </figure>
    }
    .into_any()
}

#[component]
fn CalibrationView(report: CalibrationReport) -> impl IntoView {
    let requisitions = with_blank(
        "Any requisition",
        report
            .requisitions
            .iter()
            .map(|(id, title)| (id.to_string(), title.clone())),
    );
    let selected = report
        .requisition
        .map(|id| id.to_string())
        .unwrap_or_default();
    let intro = if report.everyone {
        "Every interviewer's interviews that ended in the range, and how their ratings compare with their colleagues' on the same candidates. A comparison rests only on candidates for whom the interviewer has given all their feedback."
    } else {
        "Your interviews that ended in the range, and how your ratings compare with your colleagues' on the same candidates (only candidates you have given all your feedback on)."
    };
    view! {
        <p class="muted">{intro}</p>
        <form method="get" action="/calibration" class="form form-inline">
            <div class="field">
                <label for="calibration-from">"From"</label>
                <input id="calibration-from" type="date" name="from" value=report.from.clone()/>
            </div>
            <div class="field">
                <label for="calibration-to">"To"</label>
                <input id="calibration-to" type="date" name="to" value=report.to.clone()/>
            </div>
            {report.everyone.then(|| view! {
                <SelectField name="requisition" label="Requisition" options=requisitions selected=selected/>
            })}
            <button type="submit">"Show"</button>
        </form>
        {if report.figures.is_empty() {
            view! { <p class="muted">"No interviews ended in this range."</p> }.into_any()
        } else {
            view! {
                {chart(&report.figures)}
                <div class="table-wrap" tabindex="0">
                    <table class="calibration">
                        <thead>
                            <tr>
                                <th scope="col">"Interviewer"</th>
                                <th scope="col">"Interviews"</th>
                                <th scope="col">"On time"</th>
                                <th scope="col">"Late"</th>
                                <th scope="col">"Overdue"</th>
                                {Recommendation::ALL.iter().map(|r| view! { <th scope="col">{r.label()}</th> }).collect_view()}
                                <th scope="col">"Lone dissent"</th>
                                <th scope="col">"Difference from panel"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {report.figures.iter().map(|f| view! {
                                <tr>
                                    <th scope="row">{f.name.clone()}</th>
                                    <td>{f.interviews}</td>
                                    <td>{f.on_time}</td>
                                    <td>{f.late}</td>
                                    <td>{f.overdue}</td>
                                    {f.recommendations.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                                    <td>{format!("{} of {}", f.lone_dissents, f.dissent_chances)}</td>
                                    <td>{f.overall_difference.map(signed).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <h2>"By attribute"</h2>
                {report.figures.iter().filter(|f| !f.attributes.is_empty()).map(|f| view! {
                    <h3>{f.name.clone()}</h3>
                    <div class="table-wrap" tabindex="0">
                        <table class="calibration-attributes">
                            <thead>
                                <tr>
                                    <th scope="col">"Attribute"</th>
                                    <th scope="col">"Their average"</th>
                                    <th scope="col">"Panel's average"</th>
                                    <th scope="col">"Difference"</th>
                                    <th scope="col">"Candidates"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {f.attributes.iter().map(|a| view! {
                                    <tr>
                                        <th scope="row">{a.name.clone()}</th>
                                        <td>{format!("{:.2}", a.own_average)}</td>
                                        <td>{format!("{:.2}", a.panel_average)}</td>
                                        <td>{signed(a.difference)}</td>
                                        <td>{a.candidates}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }).collect_view()}
            }.into_any()
        }}
    }
}
