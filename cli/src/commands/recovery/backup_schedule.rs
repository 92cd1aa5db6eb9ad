//! `hostup vps backup-schedule list|set|delete|retention`.

use hostup::gates::BackupScheduleGate;
use hostup::prelude::*;
use hostup::types::{BackupSchedule as ScheduleRow, BackupSettings};
use hostup::{BackupCadence, BackupPlan, Client};
use serde_json::json;

use super::{Session, cell, confirm, gate_summary};
use crate::args::recovery::{BackupSchedule, Frequency};
use crate::confirm::Risk;
use crate::failure::Failure;
use crate::output::RedactedJson;

pub async fn run(client: &Client, session: &Session, command: &BackupSchedule) -> Result<(), Failure> {
    match command {
        BackupSchedule::List(vps) => {
            let list = client.list_vps_backup_schedules().id(&vps.id).send().await?.into_inner();
            let headers = ["ID", "NAME", "FREQUENCY", "TIME", "DAY", "KEEP", "ENABLED", "LAST RUN"];
            session.printer.listing(&headers, &list.schedules, schedule_cells)?;
            let mut notes: Vec<String> = list.settings.iter().map(settings_text).collect();
            if let Some(actions) = &list.actions {
                let gates = BackupScheduleGate::ALL.iter().map(|g| (g.gate_name(), g.gate(actions)));
                notes.extend(gate_summary(gates));
            }
            if !notes.is_empty() {
                session.progress.note(&notes.join("; "));
            }
            Ok(())
        }
        BackupSchedule::Set { vps, frequency, day_of_week, day_of_month, hour, keep, name, disabled } => {
            let cadence = match frequency {
                Frequency::Daily => BackupCadence::Daily,
                Frequency::Weekly => BackupCadence::Weekly { day_of_week: day_of_week.unwrap_or_default() },
                Frequency::Monthly => {
                    BackupCadence::Monthly { day_of_month: day_of_month.unwrap_or_default() }
                }
            };
            let mut plan = BackupPlan::new(cadence, *hour, *keep);
            if let Some(name) = name {
                plan = plan.named(name.clone());
            }
            if *disabled {
                plan = plan.disabled();
            }
            let result = client.set_backup_schedule(&vps.id, &plan).await?;
            let mut fields = vec![("vps", vps.id.clone())];
            if let Some(s) = &result.schedule {
                let cells = schedule_cells(s);
                let names = ["schedule", "name", "frequency", "time", "day", "keep", "enabled", "last run"];
                fields.extend(names.into_iter().zip(cells));
            }
            session.printer.record(&result, &fields)
        }
        BackupSchedule::Delete { vps, schedule } => {
            let what = format!("delete backup schedule {schedule} of {}", vps.id);
            confirm(session, &what, "no more backups are taken on this schedule", Risk::Destructive)?;
            client.delete_vps_backup_schedule().id(&vps.id).schedule_id(schedule).send().await?;
            let answer = RedactedJson(json!({"vpsId": vps.id, "scheduleId": schedule, "deleted": true}));
            session.printer.record(
                &answer,
                &[("vps", vps.id.clone()), ("schedule", schedule.clone()), ("status", "deleted".into())],
            )
        }
        BackupSchedule::Retention { vps, max_total, auto_delete_oldest } => {
            let result = client.set_backup_retention(&vps.id, *max_total, *auto_delete_oldest).await?;
            let fields = [("vps", vps.id.clone()), ("settings", settings_text(&result.settings))];
            session.printer.record(&result, &fields)
        }
    }
}

fn schedule_cells(s: &ScheduleRow) -> Vec<String> {
    vec![
        s.id.clone(),
        cell(s.name.as_deref()),
        cell(s.frequency.as_ref()),
        cell(s.time.as_deref()),
        cell(s.day_specifier.as_deref()),
        cell(s.retention_count),
        cell(s.enabled.map(|e| if e { "yes" } else { "no" })),
        cell(s.last_run.as_deref()),
    ]
}

fn settings_text(s: &BackupSettings) -> String {
    format!(
        "at most {} backups in all, auto-delete oldest {}, {} manual and {} scheduled active",
        cell(s.total_backup_limit),
        cell(s.auto_delete_oldest.map(|a| if a { "on" } else { "off" })),
        cell(s.manual_backups_active),
        cell(s.scheduled_backups_active),
    )
}
