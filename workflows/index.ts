// The workflow bundle's entry: every workflow type the worker runs.
export { complaintWorkflow } from './complaint';
export { deliverNotice } from './delivery';
export { jointPartWorkflow } from './joint-part';
export { spotCheckWorkflow } from './spot-check';
export { webhookPoster } from './webhooks';
