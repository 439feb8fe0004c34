//! The local stand-ins for what AWS triggers: the outbox stream (mail) and the
//! EventBridge schedule (escalation), each driving the deployed function's code.

use crate::mailbox::DevMailbox;
use ecrm_core::store::Store;

/// The local stand-in for the stream-triggered mail worker: poll the outbox and
/// deliver to the development mailbox. A store that is down is retried quietly.
pub(crate) async fn deliver_mail(store: Store, mailbox: DevMailbox) {
    loop {
        let _ = ecrm_core::mail::deliver_pending(&store, &mailbox).await;
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
}

/// The local stand-in for the EventBridge schedule: run the scheduled escalation every
/// minute, the same code the `escalator` function runs in AWS. A store that is down is
/// retried quietly at the next tick.
pub(crate) async fn escalate_on_timer(app: ecrm_core::app::App) {
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        let _ = ecrm_core::app::service_worker::escalate_overdue(&app).await;
    }
}
