using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Hearth.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BelongingAndImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Everyone already signed up follows what they comment in, as new accounts do.
            migrationBuilder.AddColumn<bool>(
                name: "FollowOnComment",
                table: "Users",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "WelcomeMessage",
                table: "Sites",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FirstCommentId",
                table: "People",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastUpheldAt",
                table: "People",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "UpheldReports",
                table: "People",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Html",
                table: "MailQueue",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Unsubscribe",
                table: "MailQueue",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportId",
                table: "Comments",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImportSource",
                table: "Comments",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Follows",
                columns: table => new
                {
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    ThreadId = table.Column<long>(type: "bigint", nullable: false),
                    SiteId = table.Column<long>(type: "bigint", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SinceCommentId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Follows", x => new { x.UserId, x.ThreadId });
                    table.ForeignKey(
                        name: "FK_Follows_Threads_ThreadId",
                        column: x => x.ThreadId,
                        principalTable: "Threads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Follows_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ImportRows",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    Kind = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    SourceId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ThreadKey = table.Column<string>(type: "character varying(2100)", maxLength: 2100, nullable: true),
                    Url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    Identifier = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Closed = table.Column<bool>(type: "boolean", nullable: false),
                    ThreadSourceId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ParentSourceId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    AuthorName = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    AuthorEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    AuthorUrl = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    AuthorKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "text", nullable: true),
                    Html = table.Column<string>(type: "text", nullable: true),
                    BodyHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    WordsHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Round = table.Column<int>(type: "integer", nullable: true),
                    Depth = table.Column<int>(type: "integer", nullable: true),
                    PlacedUnder = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    AnswersId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Skip = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportRows", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MailPreferences",
                columns: table => new
                {
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Delivery = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailPreferences", x => new { x.UserId, x.Kind });
                    table.ForeignKey(
                        name: "FK_MailPreferences_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    SiteId = table.Column<long>(type: "bigint", nullable: false),
                    ThreadId = table.Column<long>(type: "bigint", nullable: false),
                    CommentId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    MailedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notifications_Comments_CommentId",
                        column: x => x.CommentId,
                        principalTable: "Comments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Notifications_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_People_SiteId_FirstCommentAt",
                table: "People",
                columns: new[] { "SiteId", "FirstCommentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Comments_SiteId_ImportSource_ImportId",
                table: "Comments",
                columns: new[] { "SiteId", "ImportSource", "ImportId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Follows_ThreadId_State",
                table: "Follows",
                columns: new[] { "ThreadId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_RunId_Kind_Id",
                table: "ImportRows",
                columns: new[] { "RunId", "Kind", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_RunId_Kind_SourceId",
                table: "ImportRows",
                columns: new[] { "RunId", "Kind", "SourceId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_RunId_ParentSourceId",
                table: "ImportRows",
                columns: new[] { "RunId", "ParentSourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_RunId_Round_Id",
                table: "ImportRows",
                columns: new[] { "RunId", "Round", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_CommentId",
                table: "Notifications",
                column: "CommentId");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_MailedAt_UserId_Kind",
                table: "Notifications",
                columns: new[] { "MailedAt", "UserId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_UserId_CommentId_Kind",
                table: "Notifications",
                columns: new[] { "UserId", "CommentId", "Kind" },
                unique: true);

            // The first comment of everyone counted before it was kept, for the team's list of newcomers.
            migrationBuilder.Sql("""
                UPDATE "People" SET "FirstCommentId" = "f"."Id"
                FROM (SELECT "SiteId", "Author_Key", MIN("Id") AS "Id" FROM "Comments" WHERE "Author_Key" <> '' GROUP BY "SiteId", "Author_Key") AS "f"
                WHERE "People"."SiteId" = "f"."SiteId" AND "People"."Key" = "f"."Author_Key" AND "People"."FirstCommentId" IS NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Follows");

            migrationBuilder.DropTable(
                name: "ImportRows");

            migrationBuilder.DropTable(
                name: "MailPreferences");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropIndex(
                name: "IX_People_SiteId_FirstCommentAt",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_Comments_SiteId_ImportSource_ImportId",
                table: "Comments");

            migrationBuilder.DropColumn(
                name: "FollowOnComment",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "WelcomeMessage",
                table: "Sites");

            migrationBuilder.DropColumn(
                name: "FirstCommentId",
                table: "People");

            migrationBuilder.DropColumn(
                name: "LastUpheldAt",
                table: "People");

            migrationBuilder.DropColumn(
                name: "UpheldReports",
                table: "People");

            migrationBuilder.DropColumn(
                name: "Html",
                table: "MailQueue");

            migrationBuilder.DropColumn(
                name: "Unsubscribe",
                table: "MailQueue");

            migrationBuilder.DropColumn(
                name: "ImportId",
                table: "Comments");

            migrationBuilder.DropColumn(
                name: "ImportSource",
                table: "Comments");
        }
    }
}
