/** What the benchmarks submit through `POST /complaints`. */

let sequence = 0;

/** A submission at a place and polluter of its own: no case is linked to another as a repeat. */
export function submission() {
  sequence += 1;
  const n = `${process.pid}-${sequence}`;
  return {
    externalId: `bench-${n}`,
    channel: 'hotline_12345',
    category: 'water',
    description: `基准案件 ${n}：河道发黑发臭`,
    location: { address: `基准路 ${n} 号`, district: 'nancheng' },
    polluter: `基准企业 ${n}`,
    complainant: { anonymous: false, name: '李四', phone: '13900000000' },
  };
}
