//! The admin's skill list.

use leptos::prelude::*;
use server_fn::ServerFn;

use super::{list_skills, AddSkill, Skill, UpdateSkill};
use crate::access::Role;
use crate::ui::form::error_from_query;
use crate::ui::{loaded, Field, ServerForm, StaffPage};

#[component]
pub fn SkillsPage() -> impl IntoView {
    let add_error = error_from_query(AddSkill::PATH);
    view! {
        <StaffPage title="Skills" roles=&[Role::Admin]>
            <section class="card">
                <h2>"Add a skill"</h2>
                <ServerForm action=AddSkill::url() submit_label="Add skill" busy_label="Adding…" error=add_error.clone()>
                    <Field name="name" label="Skill" required=true autocomplete="off"/>
                    <Field name="aliases" label="Aliases" autocomplete="off" hint="Other names for it, separated by commas (JS, ECMAScript)."/>
                </ServerForm>
            </section>
            {loaded(list_skills, |skills: Vec<Skill>| if skills.is_empty() {
                view! { <p class="muted">"No skills yet. Requisitions pick their skills from this list."</p> }.into_any()
            } else {
                view! { <SkillTable skills/> }.into_any()
            })}
        </StaffPage>
    }
}

#[component]
fn SkillTable(skills: Vec<Skill>) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0">
            <table>
                <thead><tr><th>"Skill and aliases"</th><th>"Status"</th></tr></thead>
                <tbody>
                    {skills.into_iter().map(|skill| {
                        let id = skill.id.to_string();
                        let aliases = skill.aliases.join(", ");
                        let name = skill.name.clone();
                        let toggle_label = if skill.is_active { format!("Retire {name}") } else { format!("Restore {name}") };
                        let save_label = format!("Save {name}");
                        let name_label = format!("Name of {name}");
                        let aliases_label = format!("Aliases of {name}");
                        let (name_id, aliases_id) = (format!("name-{id}"), format!("aliases-{id}"));
                        let (id_a, id_b) = (id.clone(), id);
                        let (name_a, name_b) = (name.clone(), name);
                        let (aliases_a, aliases_b) = (aliases.clone(), aliases);
                        let active = skill.is_active;
                        view! {
                            <tr class:inactive=!active>
                                <td>
                                    <ServerForm action=UpdateSkill::url() submit_label=save_label busy_label="Saving…" inline=true>
                                        <input type="hidden" name="skill_id" value=id_a/>
                                        <input type="hidden" name="active" value=active.to_string()/>
                                        <Field name="name" id=name_id label=name_label value=name_a required=true/>
                                        <Field name="aliases" id=aliases_id label=aliases_label value=aliases_a/>
                                    </ServerForm>
                                </td>
                                <td>
                                    {if active { "Offered" } else { "Retired" }}
                                    <ServerForm action=UpdateSkill::url() submit_label=toggle_label busy_label="Saving…" inline=true danger=active>
                                        <input type="hidden" name="skill_id" value=id_b/>
                                        <input type="hidden" name="name" value=name_b/>
                                        <input type="hidden" name="aliases" value=aliases_b/>
                                        <input type="hidden" name="active" value=(!active).to_string()/>
                                    </ServerForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
