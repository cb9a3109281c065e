// The failure converter of every client, worker and workflow of the service. Plain JavaScript
// because the SDK loads it with require() (and bundles it into the workflow sandbox) by path.
// encodeCommonAttributes moves each failure's message and stack trace into a payload, which the
// payload codec then encrypts: an error that quotes a complainant stays ciphertext in the history.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
