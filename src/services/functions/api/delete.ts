/**
 * @module services/functions/api/delete
 * DeleteFunction: the whole function (every version, alias, policy, configuration, URL and tag)
 * or, with a Qualifier, one published version. Code packages nothing names any more are deleted
 * with the rows, and their folders once the deletion has committed.
 */
import type { RequestContext } from '../../service.js';
import type { FunctionsDeps } from '../deps.js';
import { conflict, invalid, optString, type Input } from '../model/input.js';
import { kindOf, LATEST, parseFunctionRef } from '../model/names.js';
import { aliasesUsingVersion, deleteFunction as deleteRows, deleteVersion } from '../store.js';
import { collectGarbage, removePackages, requireFunction } from './common.js';

export async function deleteFunction(d: FunctionsDeps, input: Input, ctx: RequestContext): Promise<object> {
  const ref = parseFunctionRef(input.FunctionName, ctx, { qualifier: optString(input, 'Qualifier'), action: 'lambda:DeleteFunction', maxLength: 140 });
  if (ref.qualifier === LATEST) throw invalid('$LATEST version cannot be deleted without deleting the function.');
  if (kindOf(ref.qualifier) === 'alias') throw invalid('Deletion of aliases is not supported by DeleteFunction. Use DeleteAlias.');
  const garbage = await d.store.transaction(async (tx) => {
    await requireFunction(tx, ref);
    if (ref.qualifier === undefined) return collectGarbage(tx, await deleteRows(tx, ref.scope, ref.name));
    const aliases = await aliasesUsingVersion(tx, ref.scope, ref.name, ref.qualifier);
    if (aliases.length > 0) {
      throw conflict(`Unable to delete version because the following aliases reference it: [${aliases.join(', ')}]`);
    }
    return collectGarbage(tx, await deleteVersion(tx, ref.scope, ref.name, ref.qualifier));
  });
  removePackages(d, garbage);
  return {};
}
